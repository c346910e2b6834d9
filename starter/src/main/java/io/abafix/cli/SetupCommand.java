package io.abafix.cli;

import io.abafix.workflows.visibility.SearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributeKey;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code abafix setup}: registers abafix's search attributes in the namespace, once. Runs started
 * afterwards carry them; a second setup changes nothing.
 */
@Command(
    name = "setup",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {"  abafix setup --address 10.0.0.5:7233 --namespace default"},
    description =
        "Register abafix's search attributes in the Temporal namespace (operator API; safe to"
            + " repeat). Reads no payload, so it needs no payload key: ABAFIX_ENCRYPTION_KEY_FILE"
            + " and --encryption-key-file are not read.")
final class SetupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Override
  public Integer call() {
    WorkflowClient client = temporal.connectWithoutPayloads();
    String namespace = client.getOptions().getNamespace();
    PrintWriter out = spec.commandLine().getOut();
    List<SearchAttributeKey<?>> missing;
    try {
      missing =
          SearchAttributes.missing(client)
              .orElseThrow(
                  () ->
                      new UserError(
                          "this Temporal server cannot register search attributes (Temporal's"
                              + " in-memory server has no visibility): nothing to set up"));
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage());
    }
    if (!missing.isEmpty()) SearchAttributes.register(client, missing);
    for (SearchAttributeKey<?> key : SearchAttributes.ALL) {
      out.println(
          String.format(
              "%-20s %-12s %s",
              key.getName(),
              typeName(key),
              missing.contains(key) ? "registered" : "already registered"));
    }
    out.println(
        missing.isEmpty()
            ? "namespace " + namespace + ": nothing to do"
            : "namespace " + namespace + ": runs started from now on carry these attributes");
    return 0;
  }

  /** The type as Temporal's CLI names it (Keyword, KeywordList). */
  private static String typeName(SearchAttributeKey<?> key) {
    String name = key.getValueType().name().substring("INDEXED_VALUE_TYPE_".length());
    StringBuilder b = new StringBuilder();
    for (String part : name.split("_")) {
      b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return b.toString();
  }
}
