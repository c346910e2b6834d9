package io.abafix.activities.powershell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The installer cannot run here (no Windows); the PowerShell gate checks its commands and
 * parameters. This checks the order and the forms that keep a first start working and the password
 * out of every log, on its code with the comments taken out.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InstallerScriptTest {
  private static final Path INSTALLER =
      Path.of("..", "deploy", "windows", "Install-AbafixServerWorker.ps1");
  private static String code;

  @BeforeAll
  static void read() throws IOException {
    String text = Files.readString(INSTALLER);
    code = text.replaceAll("(?s)<#.*?#>", "").replaceAll("(?m)^\\s*#.*$", "");
  }

  private static int at(String what) {
    int i = code.indexOf(what);
    assertTrue(i >= 0, "the installer has no " + what);
    return i;
  }

  @Test
  void
      group_memberships_and_the_batch_logon_check_come_before_the_task_is_registered_and_started() {
    int administrators = at("Add-AbafixGroupMember -GroupSid $administrators -Member $Account");
    int adSyncAdmins = at("Add-AbafixGroupMember -GroupSid $adSyncAdminsSid -Member $Account");
    int rights = at("Get-AbafixUserRights -Folder");
    int registerPassword = at(".RegisterTask(");
    int registerGmsa = at("Register-ScheduledTask ");
    int start = at("Start-ScheduledTask ");
    int firstRegistration = Math.min(registerPassword, registerGmsa);
    assertTrue(administrators < rights && adSyncAdmins < rights, "groups before the rights check");
    assertTrue(rights < firstRegistration, "the rights check before the task is registered");
    assertTrue(firstRegistration < start && registerPassword < start && registerGmsa < start);
    assertTrue(code.contains("'SeBatchLogonRight'") && code.contains("'SeDenyBatchLogonRight'"));
  }

  /** The server role refuses to start without whose approvals to trust, so the task must say. */
  @Test
  void the_launcher_starts_the_worker_for_its_tenant_and_with_whose_approvals_it_trusts() {
    at("[string] $ApproverTenantId");
    at("[string] $ApproverClientId");
    int tenant = at("\"set `\"ABAFIX_APPROVER_TENANT_ID=$ApproverTenantId`\"\"");
    int client = at("\"set `\"ABAFIX_APPROVER_CLIENT_ID=$ApproverClientId`\"\"");
    at("\"set `\"ABAFIX_APPROVER_ROLE=$ApproverRole`\"\"");
    at("ABAFIX_TWO_PERSON=");
    int start = at("server --name $server --tenant $Tenant");
    assertTrue(tenant < start && client < start, "the environment is set before the worker starts");
  }

  @Test
  void no_password_is_a_parameter_of_the_installer_or_of_any_command() {
    assertFalse(code.contains("-Password"), "a password bound as a parameter is in module logs");
    assertFalse(code.contains("AsPlainText"), "ConvertTo-SecureString -AsPlainText logs it too");
    assertFalse(
        Pattern.compile("(?i)\\[(System\\.Security\\.)?SecureString\\]").matcher(code).find(),
        "a SecureString parameter invites a plain-text conversion on the command line");
    int prompt = at("Get-Credential -UserName $Account");
    int onlyForUsers = at("if (-not $GroupManagedServiceAccount) {");
    assertTrue(onlyForUsers < prompt, "a gMSA is not asked for a password");
    at("[switch] $GroupManagedServiceAccount");
  }

  @Test
  void every_acl_names_its_account_by_sid() {
    Matcher call = Pattern.compile("Invoke-Icacls @\\((.*)\\)").matcher(code);
    int grants = 0;
    while (call.find()) {
      Matcher ace = Pattern.compile("\"([^\"]*):\\(").matcher(call.group(1));
      while (ace.find()) {
        grants++;
        assertTrue(ace.group(1).startsWith("*"), "an ACE by name: " + ace.group(1));
      }
    }
    assertTrue(grants >= 5, "grants found: " + grants);
    at("Resolve-AbafixSid $Account");
  }
}
