package dev.agentphone.numbers;

/** The numbers domain's statements, for the benchmark's raw-database side. */
public final class BenchSql {
  /** The active numbers of some agents: account, agent ids. */
  public static final String FOR_AGENTS = NumberStore.FOR_AGENTS_SQL;
  /** Phone number and agent of some numbers: account, number ids. */
  public static final String SUMMARIES = NumberStore.SUMMARIES_SQL;
  /** The active number with a phone number, whichever account has it: phone number. */
  public static final String ROUTE_INBOUND = NumberStore.ROUTE_INBOUND_SQL;

  private BenchSql() {
  }
}
