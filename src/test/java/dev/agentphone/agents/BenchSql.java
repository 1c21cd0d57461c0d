package dev.agentphone.agents;

/** The agents domain's statements, for the benchmark's raw-database side. */
public final class BenchSql {
  /** One agent of an account: account, agent. */
  public static final String GET_AGENT = AgentsVerticle.GET_SQL;

  private BenchSql() {
  }
}
