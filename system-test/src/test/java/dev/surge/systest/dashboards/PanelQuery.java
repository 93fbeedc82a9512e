package dev.surge.systest.dashboards;

/**
 * One panel target's PromQL with the dashboard variables substituted, ready for {@code
 * /api/v1/query}.
 *
 * @param dashboardUid the dashboard's uid
 * @param panelId the panel's id
 * @param panelTitle the panel's title
 * @param refId the target's refId
 * @param expr the query, variables substituted
 */
public record PanelQuery(
    String dashboardUid, int panelId, String panelTitle, String refId, String expr) {
  /** {@code uid / #id "title" refId}, for messages. */
  public String where() {
    return dashboardUid + " / #" + panelId + " \"" + panelTitle + "\" " + refId;
  }
}
