package dev.agentphone.lab;

/** What every step of one scenario shares: its account, the answering agent, its webhook events. */
record RunContext(LabAccount account, String agentId, EventLog events) {
  LabHttp http() {
    return account.http();
  }
}
