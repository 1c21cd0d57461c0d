package dev.agentphone.calls;

import io.vertx.core.Handler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A subscriber's queue against a connection that fills up and drains as a real one does. */
class ClientBacklogTest {
  /** A connection whose write queue is full until it is drained. */
  static final class Connection {
    final List<String> sent = new ArrayList<>();
    boolean full;
    boolean ended;
    boolean dropped;
    Handler<Void> drain;

    ClientBacklog backlog() {
      return new ClientBacklog(() -> full, sent::add, handler -> drain = handler,
          () -> dropped, () -> ended = true, () -> dropped = true);
    }

    void drained() {
      full = false;
      drain.handle(null);
    }
  }

  @Test
  void framesWaitBehindAFullConnectionAndGoOutInOrderOnceItDrains() {
    Connection connection = new Connection();
    ClientBacklog backlog = connection.backlog();
    assertThat(backlog.write("a")).isTrue();
    connection.full = true;
    assertThat(backlog.write("b")).isTrue();
    connection.full = false;
    // the queue is not jumped while it holds anything
    assertThat(backlog.write("c")).isTrue();
    assertThat(connection.sent).containsExactly("a");
    connection.drained();
    assertThat(connection.sent).containsExactly("a", "b", "c");
    assertThat(backlog.isEmpty()).isTrue();
    assertThat(connection.ended).isFalse();
  }

  @Test
  void aClientThatCannotKeepUpIsDroppedOnceItsQueuePassesTheBound() {
    Connection connection = new Connection();
    ClientBacklog backlog = connection.backlog();
    connection.full = true;
    for (int i = 0; i < ClientBacklog.MAX; i++) {
      assertThat(backlog.write("frame " + i)).isTrue();
    }
    assertThat(connection.dropped).isFalse();
    assertThat(backlog.write("one too many")).isFalse();
    assertThat(connection.dropped).isTrue();
    assertThat(backlog.isEmpty()).isTrue();
    assertThat(connection.sent).isEmpty();
  }

  @Test
  void anEndedSubscriberIsEndedOnceWhatWasQueuedHasBeenTaken() {
    Connection connection = new Connection();
    ClientBacklog backlog = connection.backlog();
    connection.full = true;
    backlog.write("last turn");
    backlog.write("ended");
    backlog.endAfterDrain();
    assertThat(connection.ended).isFalse();
    connection.drained();
    assertThat(connection.sent).containsExactly("last turn", "ended");
    assertThat(connection.ended).isTrue();
  }

  @Test
  void aFanOutsSharedBytesGoOnlyWhileTheConnectionKeepsUpAndAWaitingFrameGoesAsItsText() {
    Connection connection = new Connection();
    ClientBacklog backlog = connection.backlog();
    List<String> shared = new ArrayList<>();
    // the connection takes shared bytes, except for "b": it is gone between the check and the
    // write, so that text goes the usual way
    backlog.shareWith(frame -> !"b".equals(frame.text()) && shared.add(frame.text()));
    assertThat(backlog.write("a", new SharedFrame("a"))).isTrue();
    assertThat(backlog.write("b", new SharedFrame("b"))).isTrue();
    connection.full = true;
    assertThat(backlog.write("c", new SharedFrame("c"))).isTrue();
    connection.full = false;
    // behind a waiting frame, a shared one waits too, in order
    assertThat(backlog.write("d", new SharedFrame("d"))).isTrue();
    connection.drained();
    assertThat(shared).containsExactly("a");
    assertThat(connection.sent).containsExactly("b", "c", "d");
  }
}
