package io.abafix.activities.powershell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.activities.port.HostException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against real processes. There is no PowerShell on the build machines, so the
 * executable is a small shell script standing in for it; the command line and the plumbing around
 * it are the production ones.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@DisabledOnOs(OS.WINDOWS)
class ProcessPowerShellRunnerTest {
  private static final String HOSTILE =
      "clixml:C:\\x\"';$(Remove-Item C:\\ -Recurse)`whoami`\r\n& calc.exe; exit 0 #\u00e9";

  @TempDir Path temp;

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void should_kill_the_whole_process_tree_and_report_transient_when_the_script_times_out()
      throws Exception {
    // The stand-in starts a child that would outlive a plain destroy of its parent.
    Path executable = executable("sleep 300 &\necho $!\nwait\n");
    ProcessPowerShellRunner runner = new ProcessPowerShellRunner(executable.toString(), folder());

    PowerShellRunException e =
        assertThrows(
            PowerShellRunException.class,
            () -> runner.run(PowerShellScript.GET_SERVER_STATE, "{}", Duration.ofMillis(700)));

    assertEquals(PowerShellRunException.Reason.TIMED_OUT, e.reason());
    long child = Long.parseLong(e.partialStdout().strip());
    assertTrue(waitUntilGone(child), "the script's child process " + child + " is still running");

    PowerShellSyncServerHost host =
        new PowerShellSyncServerHost(
            "SERVERA", runner, Map.of(PowerShellScript.GET_SERVER_STATE, Duration.ofMillis(700)));
    HostException viaHost = assertThrows(HostException.class, host::inspect);
    assertEquals(HostException.Category.TRANSIENT, viaHost.category());
    assertTrue(viaHost.getMessage().contains("did not finish within"), viaHost.getMessage());
  }

  @Test
  void should_pass_hostile_input_only_inside_the_json_on_stdin_with_the_fixed_command_line()
      throws Exception {
    Path argsFile = temp.resolve("args.txt");
    Path stdinFile = temp.resolve("stdin.json");
    Path executable =
        executable(
            "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '"
                + argsFile
                + "'\ncat > '"
                + stdinFile
                + "'\nprintf '%s\\n'"
                + " 'ABAFIX-ANSWER/1 {\"ok\":true,\"result\":{\"reads\":[{\"name\":\"call\","
                + "\"command\":\"Add-ADSyncAADServiceAccount\",\"output\":[]}]}}'\n");
    ProcessPowerShellRunner runner = new ProcessPowerShellRunner(executable.toString(), folder());
    PowerShellSyncServerHost host = new PowerShellSyncServerHost("SERVERA", runner);

    host.revertToServiceAccount("Sync_SERVERA_0123456789ab", HOSTILE);

    List<String> arguments = Files.readAllLines(argsFile, StandardCharsets.UTF_8);
    List<String> expected = new ArrayList<>(ProcessPowerShellRunner.FIXED_ARGUMENTS);
    Path script = folder().resolve("Invoke-AbafixRevertToServiceAccount.ps1");
    expected.add(script.toString());
    assertEquals(expected, arguments);
    assertEquals(
        List.of(executable.toString()),
        runner.commandLine(PowerShellScript.REVERT_TO_SERVICE_ACCOUNT).subList(0, 1),
        "the executable is the configured one");
    assertArrayEquals(
        PowerShellScript.readShipped("Invoke-AbafixRevertToServiceAccount.ps1"),
        Files.readAllBytes(script),
        "the script that ran is the shipped one");

    byte[] stdin = Files.readAllBytes(stdinFile);
    for (byte b : stdin) assertTrue(b >= 0x20 && b < 0x7F, "stdin is printable ASCII");
    JsonNode input = json.readTree(stdin);
    assertEquals(HOSTILE, input.get("credentialReference").textValue());
    assertEquals("SERVERA", input.get("server").textValue());
    assertEquals("Sync_SERVERA_0123456789ab", input.get("accountName").textValue());
  }

  @Test
  void should_return_exit_code_and_both_streams_of_a_failing_script() throws Exception {
    Path executable = executable("cat > /dev/null\necho 'not json'\necho 'boom' >&2\nexit 3\n");
    ProcessPowerShellRunner runner = new ProcessPowerShellRunner(executable.toString(), folder());

    PowerShellResult result =
        runner.run(
            PowerShellScript.SET_SYNC_CYCLE, "{\"server\":\"SERVERA\"}", Duration.ofSeconds(20));

    assertEquals(3, result.exitCode());
    assertEquals("not json", result.stdout().strip());
    assertEquals("boom", result.stderr().strip());
  }

  @Test
  void should_report_a_missing_executable_as_permanent() {
    ProcessPowerShellRunner runner =
        new ProcessPowerShellRunner(temp.resolve("no-such-powershell").toString(), folder());
    PowerShellSyncServerHost host = new PowerShellSyncServerHost("SERVERA", runner);

    HostException e = assertThrows(HostException.class, host::inspect);

    assertEquals(HostException.Category.PERMANENT, e.category());
    assertTrue(e.getMessage().contains("cannot start"), e.getMessage());
  }

  @Test
  void should_restore_a_tampered_script_before_running_it() throws Exception {
    Path executable = executable("cat > /dev/null\nprintf '%s\\n' '{\"ok\":true,\"result\":{}}'\n");
    ProcessPowerShellRunner runner = new ProcessPowerShellRunner(executable.toString(), folder());
    runner.run(PowerShellScript.GET_EVENTS, "{}", Duration.ofSeconds(20));
    Path script = folder().resolve("Get-AbafixEvents.ps1");
    Path common = folder().resolve(PowerShellScript.COMMON_FILE);
    Files.writeString(script, "Remove-Item C:\\ -Recurse");
    Files.delete(common);

    runner.run(PowerShellScript.GET_EVENTS, "{}", Duration.ofSeconds(20));

    assertArrayEquals(
        PowerShellScript.readShipped("Get-AbafixEvents.ps1"), Files.readAllBytes(script));
    assertArrayEquals(
        PowerShellScript.readShipped(PowerShellScript.COMMON_FILE), Files.readAllBytes(common));
  }

  @Test
  void should_use_windows_powershell_by_default_and_a_private_folder() throws Exception {
    ProcessPowerShellRunner runner = new ProcessPowerShellRunner();

    List<String> command = runner.commandLine(PowerShellScript.GET_SERVER_STATE);

    assertEquals("powershell.exe", command.get(0));
    assertEquals(ProcessPowerShellRunner.FIXED_ARGUMENTS, command.subList(1, 6));
    Path folder = Path.of(command.get(6)).getParent();
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    for (String file : PowerShellScript.shippedFiles()) {
      assertTrue(PowerShellScript.isShipped(file), file + " is in the jar");
    }
  }

  private Path folder() {
    return temp.resolve("scripts");
  }

  private Path executable(String body) throws IOException {
    Path file = Files.createTempFile(temp, "fake-powershell-", ".sh");
    Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  private static boolean waitUntilGone(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isEmpty() || !handle.get().isAlive()) return true;
      Thread.sleep(50);
    }
    return false;
  }

  @Test
  void should_not_be_confused_by_a_child_holding_the_output_open_after_a_normal_exit()
      throws Exception {
    // The answer is printed, then a grandchild keeps stdout open past the script's exit.
    Path executable =
        executable(
            "cat > /dev/null\nprintf '%s\\n' 'ABAFIX-ANSWER/1 {\"ok\":true,\"result\":{\"reads\":["
                + "{\"name\":\"call\",\"command\":\"Set-ADSyncScheduler\",\"output\":[]},"
                + "{\"name\":\"scheduler\",\"command\":\"Get-ADSyncScheduler\",\"output\":[{\"types\":"
                + "[\"S\"],\"properties\":[{\"name\":\"SyncCycleEnabled\",\"type\":\"System.Boolean\","
                + "\"value\":false}]}]}]}}'\n"
                + "(sleep 10 &) \n");
    ProcessPowerShellRunner runner = new ProcessPowerShellRunner(executable.toString(), folder());
    long started = System.nanoTime();

    new PowerShellSyncServerHost("SERVERA", runner).setSyncCycleEnabled(false);

    assertFalse(
        Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) > 0,
        "the run waited for the grandchild");
  }
}
