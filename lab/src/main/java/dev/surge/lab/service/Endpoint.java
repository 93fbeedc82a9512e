package dev.surge.lab.service;

import java.net.InetSocketAddress;

/**
 * One ready pod behind the Service: its name (for counts and messages) and the address new
 * connections go to.
 *
 * @param pod the pod's name
 * @param address its HTTP port on the loopback interface
 */
public record Endpoint(String pod, InetSocketAddress address) {}
