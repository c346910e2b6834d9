package io.abafix.activities.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's record of the approvals it acted on, across a restart. */
class FileApprovalLedgerTest {
  @TempDir Path dir;

  @Test
  void aUseRecordedBeforeARestartStillRefusesAnotherSchedulingAfterIt() throws Exception {
    Path file = dir.resolve("approvals-server-SERVERA.jsonl");
    FileApprovalLedger before = FileApprovalLedger.open(file);
    assertNull(before.claim("step|wf|run-1|REVERT@SERVERA|servera", "run-1 activity 5"));
    assertNull(before.claim("step|wf|run-1|REVERT@SERVERA|servera", "run-1 activity 5"));
    before.close(); // the worker stops (or its machine reboots)

    FileApprovalLedger after = FileApprovalLedger.open(file);
    assertNull(after.claim("step|wf|run-1|REVERT@SERVERA|servera", "run-1 activity 5"), "a retry");
    assertEquals(
        "run-1 activity 5",
        after.claim("step|wf|run-1|REVERT@SERVERA|servera", "run-1 activity 9"),
        "another scheduling");
    after.close();
    assertTrue(Files.readString(file).contains("REVERT@SERVERA"));
  }

  @Test
  void workersOfOneProcessShareTheLedgerOpenedOnce() throws Exception {
    Path file = dir.resolve("shared.jsonl");
    FileApprovalLedger one = FileApprovalLedger.open(file);
    assertSame(one, FileApprovalLedger.open(dir.resolve(".").resolve("shared.jsonl")));
    one.close();
  }

  @Test
  void aLineACrashCutShortIsDroppedButAnUnreadableCompleteLineStopsTheWorker() throws Exception {
    Path torn = dir.resolve("torn.jsonl");
    Files.writeString(torn, "{\"key\":\"a\",\"holder\":\"b\"}\n{\"key\":\"c\",\"hol");
    FileApprovalLedger recovered = FileApprovalLedger.open(torn);
    assertEquals("b", recovered.claim("a", "x"), "the whole line is kept");
    assertNull(recovered.claim("c", "y"), "the torn one never acted: it holds nothing");
    recovered.close();

    Path edited = dir.resolve("edited.jsonl");
    Files.writeString(edited, "{\"key\":\"a\",\"holder\":\"b\"}\nnot json\n");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> FileApprovalLedger.open(edited));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }
}
