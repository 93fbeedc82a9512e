// Strict schema validation of rendered Kubernetes objects, with the schemas that the kubernetes-models packages
// (npm) ship: core API (kubernetes-models), prometheus-operator, KEDA and the VPA (@kubernetes-models/autoscaler).
//
// usage: node validate.mjs OBJECTS.json   (a JSON array of objects)
// prints one JSON line per object: {"id": "Kind/ns/name", "errors": ["<path>: <message>", ...]}
// exit 0: all valid; 1: some invalid; 2: usage error.
//
// The packages' validators (ajv, compiled) reject wrong types, missing required fields and bad enum values, but like
// the API server's OpenAPI schemas they do not forbid unknown fields. "Strict" here adds what `kubectl
// --validate=strict` and kubeconform -strict add: a field that the schema never looks at is an error. The validator
// reads every property its schema declares (and every key of a map-typed object), so we wrap the object in proxies
// that record each property read; any key left unread is unknown to the schema. An object of which the validator
// read no key at all has a free-form schema (x-kubernetes-preserve-unknown-fields); where a CRD leaves a part
// free-form only because its schema would be recursive (AlertmanagerConfig's child routes), that part is validated
// on its own with the model of what it is (NESTED below).
import { readFileSync } from "node:fs";

// apiVersion group -> module path prefixes to try, in order
const PACKAGES = [
  { match: (g) => g === "" || !g.includes("."), prefix: "kubernetes-models" },
  { match: (g) => g.endsWith(".k8s.io") && g !== "autoscaling.k8s.io", prefix: "kubernetes-models" },
  { match: (g) => g === "monitoring.coreos.com", prefix: "@kubernetes-models/prometheus-operator" },
  { match: (g) => g === "keda.sh" || g === "eventing.keda.sh", prefix: "@kubernetes-models/keda" },
  { match: (g) => g === "autoscaling.k8s.io", prefix: "@kubernetes-models/autoscaler" },
];

async function modelFor(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const pkg = PACKAGES.find((p) => p.match(group));
  if (!pkg) {
    return null;
  }
  try {
    const mod = await import(`${pkg.prefix}/${apiVersion}/${kind}`);
    return mod[kind] ?? null;
  } catch (e) {
    if (e.code === "ERR_MODULE_NOT_FOUND" || e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") {
      return null;
    }
    throw e;
  }
}

// parts of an object that its CRD schema leaves free-form, and the model that validates each one
const NESTED = {
  "monitoring.coreos.com/v1alpha1/AlertmanagerConfig": {
    module: "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/Route",
    name: "Route",
    parts: (o) => childRoutes(o?.spec?.route, "/spec/route"),
  },
};

function childRoutes(route, path) {
  const out = [];
  (Array.isArray(route?.routes) ? route.routes : []).forEach((child, i) => {
    const p = `${path}/routes/${i}`;
    out.push({ path: p, value: child }, ...childRoutes(child, p));
  });
  return out;
}

function recordingProxy(root) {
  const read = new WeakMap(); // target object -> Set of keys the validator read
  const proxies = new WeakMap();
  const wrap = (target) => {
    if (target === null || typeof target !== "object") {
      return target;
    }
    let p = proxies.get(target);
    if (!p) {
      read.set(target, new Set());
      p = new Proxy(target, {
        get(t, key, receiver) {
          if (typeof key === "string") {
            read.get(t).add(key);
          }
          const v = Reflect.get(t, key, receiver);
          return typeof v === "function" ? v : wrap(v);
        },
      });
      proxies.set(target, p);
    }
    return p;
  };
  return { proxy: wrap(root), read };
}

function unknownFields(node, read, path, out) {
  if (node === null || typeof node !== "object") {
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((v, i) => unknownFields(v, read, `${path}/${i}`, out));
    return;
  }
  const seen = read.get(node);
  if (seen && seen.size === 0) {
    return; // free-form: the schema declares no properties here
  }
  for (const key of Object.keys(node)) {
    if (seen && !seen.has(key)) {
      out.push(`${path}/${key}: unknown field "${key}"`);
    } else if (seen) {
      unknownFields(node[key], read, `${path}/${key}`, out);
    }
  }
}

function id(o) {
  const m = o?.metadata ?? {};
  return `${o?.kind}/${m.namespace ? m.namespace + "/" : ""}${m.name}`;
}

async function validateOne(o) {
  if (typeof o?.apiVersion !== "string" || typeof o?.kind !== "string") {
    return ["/: apiVersion and kind are required"];
  }
  const Model = await modelFor(o.apiVersion, o.kind);
  if (!Model) {
    return [`/: no schema for ${o.apiVersion} ${o.kind} in the installed kubernetes-models packages`];
  }
  const errors = validateWith(Model, o, "");
  const nested = NESTED[`${o.apiVersion}/${o.kind}`];
  if (nested) {
    const PartModel = (await import(nested.module))[nested.name];
    for (const part of nested.parts(o)) {
      errors.push(...validateWith(PartModel, part.value, part.path));
    }
  }
  return errors;
}

function validateWith(Model, o, prefix) {
  const model = new Model(o);
  const { proxy, read } = recordingProxy(model);
  const errors = [];
  try {
    Model.prototype.validate.call(proxy);
  } catch (e) {
    if (!Array.isArray(e.errors)) {
      throw e;
    }
    for (const err of e.errors) {
      const detail = err.params?.allowedValues ? ` ${JSON.stringify(err.params.allowedValues)}` : "";
      errors.push(`${prefix}${err.instancePath || "/"}: ${err.message}${detail}`);
    }
  }
  if (errors.length === 0) {
    // only meaningful when every property was visited; errors may stop the walk early
    unknownFields(model, read, prefix, errors);
  }
  return errors;
}

async function main() {
  if (process.argv.length !== 3) {
    console.error("usage: node validate.mjs OBJECTS.json");
    process.exit(2);
  }
  const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
  if (!Array.isArray(objects)) {
    console.error("OBJECTS.json must hold a JSON array of Kubernetes objects");
    process.exit(2);
  }
  let invalid = 0;
  for (const o of objects) {
    const errors = await validateOne(o);
    if (errors.length > 0) {
      invalid++;
    }
    console.log(JSON.stringify({ id: id(o), errors }));
  }
  process.exit(invalid === 0 ? 0 : 1);
}

await main();
