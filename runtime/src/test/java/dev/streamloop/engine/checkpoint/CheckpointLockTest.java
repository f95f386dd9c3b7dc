package dev.streamloop.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLockTest {
  @TempDir Path dir;

  @Test
  void aSecondRunnerInThisProcessIsRefusedWithTheHolderAndTheFirstKeepsItsLock() {
    try (CheckpointLock first = CheckpointLock.acquire(dir)) {
      assertThatThrownBy(() -> CheckpointLock.acquire(dir))
          .isInstanceOf(CheckpointInUseException.class)
          .hasMessageContaining("checkpoint " + dir + " is in use by another runner since ")
          .hasMessageContaining("process " + ProcessHandle.current().pid());
      // the refused attempt released nothing: a third is refused too
      assertThatThrownBy(() -> CheckpointLock.acquire(dir))
          .isInstanceOf(CheckpointInUseException.class);
    }
    CheckpointLock.acquire(dir).close(); // free again once the holder closes it
  }

  @Test
  void anotherProcessHoldingTheLockRefusesThisOneUntilItEnds() throws Exception {
    // the holder is a real second process: an OS lock is what keeps two pods' runners apart
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HoldLock.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");

      assertThatThrownBy(() -> CheckpointLock.acquire(dir))
          .isInstanceOf(CheckpointInUseException.class)
          .hasMessageContaining("process " + holder.pid());

      holder.destroyForcibly(); // SIGKILL: the kernel releases its lock
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      CheckpointLock.acquire(dir).close();
    } finally {
      holder.destroyForcibly();
    }
  }

  /** Holds the lock of the directory in args[0] until killed. */
  public static final class HoldLock {
    public static void main(String[] args) throws InterruptedException {
      CheckpointLock lock = CheckpointLock.acquire(Path.of(args[0]));
      System.out.println("locked");
      System.out.flush();
      synchronized (lock) {
        lock.wait(); // until the test kills this process
      }
    }
  }
}
