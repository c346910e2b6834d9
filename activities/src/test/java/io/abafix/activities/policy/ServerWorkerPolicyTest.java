package io.abafix.activities.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import io.abafix.activities.powershell.PowerShellResult;
import io.abafix.activities.powershell.PowerShellRunner;
import io.abafix.activities.powershell.PowerShellSyncServerHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server worker's own allow-lists, through the production PowerShell host: what the policy does
 * not allow is refused before any process starts (the runner records every start).
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class ServerWorkerPolicyTest {
  private static final String MANIFEST =
      "@{ ModuleVersion = '2.3.0'; RootModule = 'ADSyncTools.psm1' }\n";
  private static final String MODULE = "function Repair-ADSyncToolsEntraAppParameters { }\n";

  @TempDir Path dir;
  private Path staged;
  private final List<String> started = new ArrayList<>();
  private final PowerShellRunner runner =
      (script, stdin, timeout) -> {
        started.add(script + " " + stdin);
        return new PowerShellResult(1, "", "no answer in this test");
      };

  @BeforeEach
  void stage() throws IOException {
    staged = Files.createDirectories(dir.resolve("staged").resolve("ADSyncTools"));
    Files.writeString(staged.resolve("ADSyncTools.psd1"), MANIFEST);
    Files.writeString(staged.resolve("ADSyncTools.psm1"), MODULE);
  }

  private PowerShellSyncServerHost host(String policyJson) throws IOException {
    Path file = Files.writeString(dir.resolve("policy.json"), policyJson);
    return new PowerShellSyncServerHost("SERVERA", runner, Map.of(), ServerWorkerPolicy.load(file));
  }

  private String policy() throws Exception {
    return """
        {"moduleFolders": {"%s": {"version": "2.3.0", "files": {
            "ADSyncTools.psd1": "%s", "ADSyncTools.psm1": "%s"}}},
         "galleryVersion": "2.3.0",
         "credentials": {"hybrid-identity-admin": "C:\\\\ProgramData\\\\abafix\\\\hia.xml"}}
        """
        .formatted(json(staged.toString()), sha256(MANIFEST), sha256(MODULE));
  }

  private void assertRefusedBeforeAnyProcess(Runnable call, String why) {
    HostException e = assertThrows(HostException.class, call::run);
    assertEquals(Category.PERMANENT, e.category());
    assertTrue(e.getMessage().contains(why), e.getMessage());
    assertEquals(List.of(), started, "no process may start");
  }

  @Test
  void the_staged_folder_the_policy_lists_passes_with_its_files_and_version() throws Exception {
    ServerWorkerPolicy p =
        ServerWorkerPolicy.load(Files.writeString(dir.resolve("p.json"), policy()));
    p.checkModuleSource(staged.toString());
    p.checkModuleSource("gallery");
    assertEquals("2.3.0", p.galleryVersion().orElseThrow());
  }

  @Test
  void a_module_folder_outside_the_allow_list_is_refused() throws Exception {
    Path other = Files.createDirectories(dir.resolve("elsewhere"));
    PowerShellSyncServerHost host = host(policy());
    assertRefusedBeforeAnyProcess(
        () -> host.installAdSyncTools(other.toString()),
        "not a folder this worker's policy allows");
    assertRefusedBeforeAnyProcess(
        () -> host.installAdSyncTools(staged + "/../../elsewhere"), "not a folder");
  }

  @Test
  void a_unc_path_is_refused() throws Exception {
    PowerShellSyncServerHost host = host(policy());
    assertRefusedBeforeAnyProcess(
        () -> host.installAdSyncTools("\\\\fs01\\staged\\ADSyncTools"), "UNC");
  }

  @Test
  void a_module_whose_file_hash_differs_is_refused() throws Exception {
    PowerShellSyncServerHost host = host(policy());
    Files.writeString(staged.resolve("ADSyncTools.psm1"), MODULE + "Invoke-Evil\n");
    assertRefusedBeforeAnyProcess(() -> host.installAdSyncTools(staged.toString()), "was changed");
  }

  @Test
  void a_module_folder_with_an_extra_file_is_refused() throws Exception {
    PowerShellSyncServerHost host = host(policy());
    Files.writeString(staged.resolve("Extra.ps1"), "Invoke-Evil\n");
    assertRefusedBeforeAnyProcess(
        () -> host.installAdSyncTools(staged.toString()), "does not list");
  }

  @Test
  void a_link_inside_an_allowed_module_folder_is_refused() throws Exception {
    PowerShellSyncServerHost host = host(policy());
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("Evil.psm1"), "Invoke-Evil\n");
    // A folder linked in: Import-Module would follow it; the policy never listed its files.
    Files.createSymbolicLink(staged.resolve("Nested"), elsewhere);
    assertRefusedBeforeAnyProcess(
        () -> host.installAdSyncTools(staged.toString()), "not a regular file");
  }

  @Test
  void a_manifest_of_another_version_is_refused() throws Exception {
    String older = MANIFEST.replace("2.3.0", "2.2.1");
    Files.writeString(staged.resolve("ADSyncTools.psd1"), older);
    String policy = policy().replace(sha256(MANIFEST), sha256(older));
    PowerShellSyncServerHost host = host(policy);
    assertRefusedBeforeAnyProcess(
        () -> host.installAdSyncTools(staged.toString()), "does not declare version 2.3.0");
  }

  @Test
  void the_gallery_is_refused_unless_the_policy_pins_its_version() throws Exception {
    PowerShellSyncServerHost host = host("{}");
    assertRefusedBeforeAnyProcess(() -> host.installAdSyncTools("gallery"), "pins no Gallery");
  }

  @Test
  void a_credential_reference_the_policy_does_not_name_is_refused() throws Exception {
    PowerShellSyncServerHost host = host(policy());
    assertRefusedBeforeAnyProcess(
        () ->
            host.revertToServiceAccount("Sync_SERVERA_0123456789ab", "clixml:C:\\Users\\x\\a.xml"),
        "not a name this worker's policy maps");
    assertRefusedBeforeAnyProcess(
        () -> host.revertToServiceAccount("Sync_SERVERA_0123456789ab", "other-name"), "not a name");
  }

  @Test
  void a_named_credential_reaches_the_script_as_the_file_the_policy_maps_it_to() throws Exception {
    PowerShellSyncServerHost host = host(policy());
    assertThrows(
        HostException.class,
        () -> host.revertToServiceAccount("Sync_SERVERA_0123456789ab", "hybrid-identity-admin"));
    assertEquals(1, started.size());
    assertTrue(
        started.get(0).contains("clixml:C:\\\\ProgramData\\\\abafix\\\\hia.xml"), started.get(0));
  }

  @Test
  void a_policy_naming_a_unc_folder_does_not_load() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("bad.json"),
            "{\"moduleFolders\": {\"\\\\\\\\fs01\\\\m\": {\"version\": \"2.3.0\", \"files\": {\"a.psd1\": \""
                + "0".repeat(64)
                + "\"}}}}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ServerWorkerPolicy.load(file));
    assertTrue(e.getMessage().contains("UNC"), e.getMessage());
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\");
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
