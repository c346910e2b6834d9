package io.abafix.activities.powershell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A script an administrator signed stays; any other change is replaced by the shipped script. */
class ScriptSignatureTest {
  static final String SHIPPED = "param()\r\nGet-ADSyncScheduler\r\n";
  static final String BLOCK =
      "# SIG # Begin signature block\r\n# MIIFvQYJKoZIhvcNAQcCoIIFrjCCBaoCAQExCzAJBgUrDgMCGgUAMGkGCisGAQQB\r\n"
          + "# gjcCAQSgWzBZMDQGCisGAQQBgjcCAR4wJgIDAQAABBAfzDtgWUsITrck0sYpfvNR\r\n"
          + "# SIG # End signature block\r\n";

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theShippedBodyWithASignatureBlockIsKept() {
    assertTrue(ScriptSignature.sameBody(bytes(SHIPPED + BLOCK), bytes(SHIPPED)));
    assertTrue(ScriptSignature.sameBody(bytes(SHIPPED), bytes(SHIPPED)));
    // The shipped file without a final line break: the signer adds one before the block.
    assertTrue(
        ScriptSignature.sameBody(
            bytes("param()\r\nGet-ADSyncScheduler\r\n" + BLOCK),
            bytes("param()\r\nGet-ADSyncScheduler")));
  }

  @Test
  void aChangedBodyOrACodeLineInTheBlockIsNotTheShippedScript() {
    assertFalse(
        ScriptSignature.sameBody(
            bytes("param()\r\nSet-ADSyncScheduler -SyncCycleEnabled $true\r\n" + BLOCK),
            bytes(SHIPPED)));
    assertFalse(
        ScriptSignature.sameBody(
            bytes(SHIPPED + BLOCK.replace("# gjcC", "Remove-Item C:\\ -Recurse\r\n# gjcC")),
            bytes(SHIPPED)));
    assertFalse(ScriptSignature.sameBody(bytes(SHIPPED + "Write-Host hi\r\n"), bytes(SHIPPED)));
    assertFalse(
        ScriptSignature.sameBody(bytes(SHIPPED + BLOCK + "Write-Host after\r\n"), bytes(SHIPPED)));
  }
}
