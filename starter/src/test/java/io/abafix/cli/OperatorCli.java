package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.process.LabTopology;
import io.abafix.lab.signin.LabIdentityProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * What an operator types, against one Temporal: every {@code abafix} command the real-server suite
 * runs goes through here (in-process, through picocli, with the production argument parsing), so
 * that a change to a command's syntax is made in one place.
 */
final class OperatorCli {
  private final String address;
  private final Path keyFile;
  private final List<String> signIn;
  private final CommandLine.IFactory commands;

  OperatorCli(String address, Path keyFile) {
    this(address, keyFile, List.of(), CommandLine.defaultFactory());
  }

  private OperatorCli(
      String address, Path keyFile, List<String> signIn, CommandLine.IFactory commands) {
    this.address = address;
    this.keyFile = keyFile;
    this.signIn = signIn;
    this.commands = commands;
  }

  /**
   * The same operator, whose decisions sign in at {@code lab}'s fake Entra ID (as the {@code --as}
   * user, through msal4j) and carry the ID token the lab's workers verify.
   */
  OperatorCli signingInAt(LabTopology lab) {
    return new OperatorCli(
        address,
        keyFile,
        List.of(
            "--approver-tenant-id",
            lab.approverTenant(),
            "--approver-client-id",
            LabIdentityProvider.ABAFIX_CLIENT_ID),
        LabSignIn.at(lab.identityEndpoint()));
  }

  /**
   * {@code abafix remediate --request FILE [OPTIONS]}, its start signed in where this operator
   * signs in; returns the run's id.
   */
  String remediate(Path request, String... options) {
    List<String> args = new ArrayList<>(List.of("remediate", "--request", request.toString()));
    args.addAll(List.of(options));
    CommandLineRun run = ok(signed(args.toArray(String[]::new)));
    String started = run.out().lines().findFirst().orElseThrow();
    assertTrue(started.startsWith("started "), run.out());
    // "started ID", then " (dry run)" or ", its start signed in" where they apply.
    return started.substring("started ".length()).trim().split("[ ,]", 2)[0];
  }

  /** {@code abafix approve RUN --gate G --as NAME}, signed in as NAME: every open gate. */
  CommandLineRun approve(String run, String as) {
    return ok(signed("approve", run, "--gate", openGates(run), "--as", as));
  }

  /** {@link #approve}, whatever its exit code: for an approval the run may refuse. */
  CommandLineRun tryApprove(String run, String as) {
    return run(signed("approve", run, "--gate", openGates(run), "--as", as));
  }

  /** {@code abafix reject RUN --gate G --as NAME}, signed in as NAME. */
  CommandLineRun reject(String run, String as) {
    return ok(signed("reject", run, "--gate", openGates(run), "--as", as, "--comment", "not now"));
  }

  /**
   * The gate that stands for every open one: an incident's proposal, or a remediation's whole plan
   * (its approvals are all asked for before the first pause).
   */
  private static String openGates(String run) {
    return run.startsWith("abafix-incident-") ? "PROPOSAL" : "PLAN";
  }

  private String[] signed(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(signIn);
    return all.toArray(String[]::new);
  }

  /** {@code abafix confirm RUN --step STEP --server SERVER --as NAME}. */
  CommandLineRun confirm(String run, String step, String server, String as) {
    return ok(signed("confirm", run, "--step", step, "--server", server, "--as", as));
  }

  /** {@code abafix status RUN}. */
  CommandLineRun status(String run) {
    return ok("status", run);
  }

  /** {@code abafix audit RUN --out FILE}. */
  CommandLineRun audit(String run, Path out) {
    return ok("audit", run, "--out", out.toString());
  }

  /** Any other command, with this cluster's address and key; must exit 0. */
  CommandLineRun ok(String... args) {
    CommandLineRun run = run(args);
    assertEquals(0, run.exitCode(), String.join(" ", args) + ": " + run.err() + run.out());
    return run;
  }

  /** Any command, with this cluster's address and key, whatever its exit code. */
  private CommandLineRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", address, "--encryption-key-file", keyFile.toString()));
    return CommandLineRun.with(commands, all.toArray(String[]::new));
  }
}
