package io.abafix.cli;

import io.abafix.activities.approval.SignInCloud;
import io.abafix.activities.graph.GraphPermissions;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.codec.SecretFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code abafix init FOLDER}: everything a first real deployment needs that abafix can make itself
 * (keys, a policy per server, an environment file), and the manual steps that only an administrator
 * can take, written down for the tenant's cloud. Refuses a folder that holds anything.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix init abafix-contoso --tenant contoso.onmicrosoft.com \\",
      "      --server SERVERA --server SERVERB"
    },
    description = {
      "Prepare a deployment in a new FOLDER: the payload encryption key, the audit signing key"
          + " pair, a server worker policy per server, an environment file for the CLI and the"
          + " workers, and NEXT-STEPS.txt with the app registrations and installs left to do"
          + " (also printed). Never overwrites: FOLDER must not exist or be empty."
    })
final class InitCommand implements Callable<Integer> {
  static final String NEXT_STEPS = "NEXT-STEPS.txt";
  private static final Pattern NETBIOS = Pattern.compile("[A-Za-z0-9-]{1,15}");
  private static final Pattern DOMAIN =
      Pattern.compile("(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9-]{1,63})+");
  private static final String CREDENTIAL_FILE =
      "C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FOLDER", description = "A new or empty folder to write into")
  Path folder;

  @Option(
      names = "--tenant",
      required = true,
      paramLabel = "DOMAIN",
      description = "The tenant's initial domain, e.g. contoso.onmicrosoft.com")
  String tenant;

  @Option(
      names = "--server",
      required = true,
      paramLabel = "NAME",
      description = "An Entra Connect Sync server (NetBIOS name); repeat for each")
  List<String> servers;

  @Option(
      names = "--cloud",
      paramLabel = "CLOUD",
      defaultValue = "global",
      description = "The tenant's cloud: global, usgov (US Government and DoD) or china")
  String cloud;

  @Override
  public Integer call() throws IOException {
    SignInCloud signIn = SignInCloud.of(cloud);
    if (!DOMAIN.matcher(tenant).matches()) {
      throw new UserError("--tenant must be a domain such as contoso.onmicrosoft.com: " + tenant);
    }
    Set<String> names = new LinkedHashSet<>();
    for (String s : servers) {
      if (!NETBIOS.matcher(s).matches()) {
        throw new UserError(
            "--server must be a NetBIOS name (1-15 letters, digits, hyphens): " + s);
      }
      if (!names.add(s.toUpperCase(Locale.ROOT))) {
        throw new UserError("--server " + s + " is named twice");
      }
    }
    requireEmpty();
    Files.createDirectories(folder);
    Path dir = folder.toAbsolutePath().normalize();

    Path payloadKey = dir.resolve("abafix.key");
    SecretFiles.createOwnerOnly(
        payloadKey, (PayloadEncryption.newKeyBase64() + "\n").getBytes(StandardCharsets.US_ASCII));
    Path auditKey = dir.resolve("audit-signing.key");
    KeyPair pair = AuditSigning.newKeyPair();
    SecretFiles.createOwnerOnly(
        auditKey,
        AuditSigning.privateKeyPem(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII));
    Files.writeString(
        dir.resolve("audit-signing.key.pub"),
        AuditSigning.publicKeyPem(pair.getPublic()),
        StandardCharsets.US_ASCII);
    String keyId = AuditSigning.keyId(pair.getPublic());

    for (String server : names) {
      Path policy = dir.resolve("servers").resolve(server).resolve("server-worker-policy.json");
      Files.createDirectories(policy.getParent());
      Files.writeString(policy, policy(), StandardCharsets.UTF_8);
    }
    Files.writeString(dir.resolve("abafix.env"), environment(dir, signIn), StandardCharsets.UTF_8);
    String steps = nextSteps(dir, signIn, List.copyOf(names), keyId);
    Files.writeString(dir.resolve(NEXT_STEPS), steps, StandardCharsets.UTF_8);

    PrintWriter out = spec.commandLine().getOut();
    out.println("wrote " + dir + ":");
    out.println("  abafix.key                  payload encryption key (owner only)");
    out.println("  audit-signing.key(.pub)     audit signing key pair, key id " + keyId);
    out.println("  servers/<NAME>/server-worker-policy.json, for " + String.join(", ", names));
    out.println("  abafix.env                  settings for the CLI and the workers");
    out.println();
    out.print(steps);
    out.flush();
    return 0;
  }

  private void requireEmpty() throws IOException {
    if (!Files.exists(folder)) return;
    if (!Files.isDirectory(folder)) {
      throw new UserError(folder + " is a file: give a new or empty folder");
    }
    try (Stream<Path> entries = Files.list(folder)) {
      if (entries.findAny().isPresent()) {
        throw new UserError(
            folder + " is not empty: init never overwrites keys or settings; give a new folder");
      }
    }
  }

  /** A policy the worker accepts as is: the credential name the revert uses, the Gallery pinned. */
  private static String policy() {
    return "{\n"
        + "  \"credentials\": { \"hybrid-identity-admin\": \""
        + CREDENTIAL_FILE.replace("\\", "\\\\")
        + "\" },\n"
        + "  \"galleryVersion\": \"2.3.0\"\n"
        + "}\n";
  }

  private String environment(Path dir, SignInCloud signIn) {
    List<String> lines = new ArrayList<>();
    lines.add("# abafix settings for the CLI, the orchestrator and the directory worker.");
    lines.add("# POSIX shell: set -a; . ./abafix.env; set +a");
    lines.add("TEMPORAL_ADDRESS=localhost:7233");
    lines.add("ABAFIX_ENCRYPTION_KEY_FILE=" + dir.resolve("abafix.key"));
    lines.add("# The orchestrator's only; keep it off the CLI's machine in production.");
    lines.add("ABAFIX_AUDIT_SIGNING_KEY_FILE=" + dir.resolve("audit-signing.key"));
    lines.add("ABAFIX_APPROVER_CLOUD=" + signIn.option());
    lines.add("# Fill these in from NEXT-STEPS.txt, step 2, then remove the '# ':");
    lines.add("# ABAFIX_APPROVER_TENANT_ID=<the tenant id (GUID) of " + tenant + ">");
    lines.add("# ABAFIX_APPROVER_CLIENT_ID=<the approvals app's application (client) id>");
    lines.add("# Optional: only members of this group (object id) may approve.");
    lines.add("# ABAFIX_APPROVER_GROUP=<group object id>");
    return String.join("\n", lines) + "\n";
  }

  private String nextSteps(Path dir, SignInCloud signIn, List<String> names, String keyId) {
    String portal = portal(signIn);
    StringBuilder b = new StringBuilder();
    b.append("Next steps for ").append(tenant).append(" (").append(signIn.option()).append(")\n\n");
    b.append("1. The directory worker's app registration. In ")
        .append(portal)
        .append(" > App registrations > New registration: name it abafix-directory-worker,")
        .append(" single tenant. Certificates & secrets > Certificates > Upload the worker's")
        .append(" certificate (RSA; msal4j signs with RS256 only). API permissions > Add a")
        .append(" permission > Microsoft Graph > Application permissions: ")
        .append(GraphPermissions.summary())
        .append(".\n\n");
    b.append("2. The approvals app registration (people sign in to approve). In ")
        .append(portal)
        .append(" > App registrations > New registration: name it abafix, single tenant; note its")
        .append(" application (client) id and the directory (tenant) id. Authentication > Add a")
        .append(" platform > Mobile and desktop applications, redirect URI http://localhost. App")
        .append(" roles > Create app role: abafix approver, Users/Groups, value Abafix.Approver.")
        .append(
            " Enterprise applications > abafix > Properties: Assignment required Yes; Users and")
        .append(" groups: assign the people who may approve to abafix approver. API permissions:")
        .append(
            " openid and profile (Microsoft Graph, delegated), Grant admin consent. Put the two")
        .append(" ids into abafix.env (docs/security.md, \"Who approved\").\n\n");
    b.append("3. On each server (")
        .append(String.join(", ", names))
        .append("): copy servers\\<NAME>\\server-worker-policy.json to")
        .append(" C:\\ProgramData\\abafix\\, and as the worker's account store the Hybrid")
        .append(" Identity Administrator credential the revert uses: Get-Credential |")
        .append(" Export-Clixml ")
        .append(CREDENTIAL_FILE)
        .append(" (or leave the revert to a person: --operator-step")
        .append(" REVERT_TO_SERVICE_ACCOUNT). Then, as an administrator:\n");
    b.append(
            "   deploy\\windows\\Install-AbafixServerWorker.ps1 -TemporalAddress <host:7233> -Tenant ")
        .append(tenant)
        .append(" -ApproverTenantId <GUID> -ApproverClientId <APP_ID> -Account <DOMAIN\\account>")
        .append(" -CredentialFile ")
        .append(CREDENTIAL_FILE)
        .append("\n   It ends with abafix-worker server --check: every line must say ok.\n\n");
    b.append("4. Copy ")
        .append(dir.resolve("abafix.key"))
        .append(" to every worker and CLI (readable by its owner only). The audit key id is ")
        .append(keyId)
        .append(": check reports with abafix audit verify ... --expect-key-id ")
        .append(keyId)
        .append(".\n\n");
    b.append(
            "5. Start Temporal, the orchestrator and the directory worker (docs/deployment.md, \"Run it for")
        .append(" real\"), then try the plan without changing anything: abafix remediate --tenant ")
        .append(tenant)
        .append(names.stream().map(n -> " --server " + n).reduce("", String::concat))
        .append(" --dry-run\n");
    return wrapped(b.toString());
  }

  /** Each paragraph wrapped at 100 columns; a line that starts with spaces (a command) is kept. */
  static String wrapped(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith(" ") || line.length() <= 100) {
        out.append(line).append('\n');
        continue;
      }
      int column = 0;
      for (String word : line.split(" ")) {
        if (column > 0 && column + 1 + word.length() > 100) {
          out.append("\n   ");
          column = 3;
        } else if (column > 0) {
          out.append(' ');
          column++;
        }
        out.append(word);
        column += word.length();
      }
      out.append('\n');
    }
    return out.substring(0, out.length() - 1);
  }

  private static String portal(SignInCloud cloud) {
    return switch (cloud) {
      case GLOBAL -> GraphPermissions.Cloud.GLOBAL.portal();
      case US_GOV -> GraphPermissions.Cloud.US_GOV.portal();
      case CHINA -> GraphPermissions.Cloud.CHINA.portal();
    };
  }
}
