package io.abafix.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The launcher the Windows installer writes, read from the installer's own text, run through the
 * worker's parser and {@code --check} exactly as the scheduled task would run it: its PowerShell
 * and its policy file must be what the worker accepts. Windows paths map to a folder here.
 */
class InstallerLauncherTest {
  static final Path INSTALLER =
      Path.of("..", "deploy", "windows", "Install-AbafixServerWorker.ps1");

  @TempDir Path drive;

  /** {@code C:\x\y} on this test's "drive". */
  Path onDrive(String windowsPath) {
    if (!windowsPath.matches("(?i)c:\\\\.*")) return Path.of(windowsPath);
    return drive.resolve(windowsPath.substring(3).replace('\\', '/'));
  }

  /** The worker's arguments in the launcher line the installer writes, with its values. */
  static List<String> launcherArguments(String installer, Map<String, String> values) {
    Matcher line = Pattern.compile("-jar `\"\\$jar`\" (server [^>]*?) >>").matcher(installer);
    assertTrue(line.find(), "the installer writes a launcher that runs the server worker");
    String args = line.group(1).replace("`\"", "\"");
    for (Map.Entry<String, String> v : values.entrySet()) {
      args = args.replace("$" + v.getKey(), v.getValue());
    }
    assertTrue(!args.contains("$"), "every variable of the launcher line is known: " + args);
    List<String> out = new ArrayList<>();
    Matcher token = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(args);
    while (token.find()) out.add(token.group(1) != null ? token.group(1) : token.group(2));
    return out;
  }

  /** What the installer computes: its default PowerShell, and where it writes the policy. */
  static Map<String, String> installerValues(String installer) {
    Matcher ps =
        Pattern.compile("\\$PowerShellExe = \\(Join-Path \\$env:SystemRoot '([^']+)'\\)")
            .matcher(installer);
    assertTrue(ps.find(), "the installer's default PowerShell is under %SystemRoot%");
    Matcher data =
        Pattern.compile("\\$dataDir = Join-Path \\$env:ProgramData '([^']+)'").matcher(installer);
    Matcher policy =
        Pattern.compile("\\$policyFile = Join-Path \\$dataDir '([^']+)'").matcher(installer);
    assertTrue(data.find() && policy.find(), "the installer writes a policy file");
    String dataDir = "C:\\ProgramData\\" + data.group(1);
    return Map.of(
        "server",
        "SERVERA",
        "Tenant",
        "contoso.onmicrosoft.com",
        "PowerShellExe",
        "C:\\Windows\\" + ps.group(1),
        "policyFile",
        dataDir + "\\" + policy.group(1));
  }

  @Test
  void theInstalledLauncherPassesTheWorkersOwnCheckOfItsPowerShellAndPolicy() throws Exception {
    String installer = Files.readString(INSTALLER);
    Map<String, String> values = installerValues(installer);
    List<String> args = launcherArguments(installer, values);

    Path powershell = onDrive(values.get("PowerShellExe"));
    Files.createDirectories(powershell.getParent());
    Files.writeString(powershell, "");
    Files.setPosixFilePermissions(powershell, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path credential = onDrive("C:\\ProgramData\\abafix\\hybrid-identity-admin.xml");
    Files.createDirectories(credential.getParent());
    Files.writeString(credential, "<Objs/>");
    // The policy as the installer writes it: the credential name remediations use, the Gallery.
    Files.writeString(
        onDrive(values.get("policyFile")),
        "{\"credentials\": {\"hybrid-identity-admin\":"
            + " \"C:\\\\ProgramData\\\\abafix\\\\hybrid-identity-admin.xml\"},"
            + " \"galleryVersion\": \"2.3.0\"}");

    String out = check(args);

    assertTrue(out.contains("ok    PowerShell"), out);
    assertTrue(out.contains("ok    policy"), out);
    assertTrue(out.contains("ok    server name"), out);
  }

  @Test
  void aRelativePowerShellOrNoPolicyIsWhatTheCheckRefuses() throws Exception {
    String installer = Files.readString(INSTALLER);
    Map<String, String> values = new java.util.HashMap<>(installerValues(installer));
    values.put("PowerShellExe", "powershell.exe");
    List<String> relative = launcherArguments(installer, values);
    String out = check(relative);
    assertTrue(out.contains("FAIL  PowerShell") && out.contains("a relative path"), out);

    List<String> noPolicy =
        new ArrayList<>(launcherArguments(installer, installerValues(installer)));
    int at = noPolicy.indexOf("--policy");
    noPolicy.remove(at + 1);
    noPolicy.remove(at);
    out = check(noPolicy);
    assertTrue(out.contains("FAIL  policy: no --policy FILE"), out);
  }

  /** {@code abafix-worker <args> --check} on a Windows server whose C: is this test's folder. */
  private String check(List<String> args) {
    LocalMachine windows =
        new LocalMachine(
            "Windows Server 2022",
            Map.of(
                    "SystemRoot", "C:\\Windows",
                    "COMPUTERNAME", "SERVERA",
                    "ProgramData", "C:\\ProgramData")
                ::get,
            this::onDrive);
    List<String> all = new ArrayList<>(args);
    all.addAll(WorkerMainTest.APPROVERS);
    all.addAll(List.of("--approval-ledger", drive.resolve("ledger.jsonl").toString(), "--check"));
    CommandLine cmd =
        WorkerMain.commandLine(
            (temporal, workers, out) -> {
              throw new AssertionError("--check never connects to Temporal");
            },
            windows,
            WorkerMainTest::offlineKeys,
            java.util.function.UnaryOperator.identity());
    StringWriter out = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(new StringWriter(), true));
    int code = cmd.execute(all.toArray(String[]::new));
    String text = out.toString();
    assertEquals(text.contains("FAIL") ? 2 : 0, code, text);
    return text;
  }
}
