package io.abafix.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.RemediationRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * A {@link RemediationRequest} written as JSON ({@code abafix remediate --request FILE}). Reading
 * is strict: an unknown field, a duplicate key or trailing text is refused with one line that names
 * it, since a misspelt field would otherwise be silently dropped (a misspelt {@code dryRun} would
 * start a real run).
 */
final class RequestFile {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private RequestFile() {}

  /**
   * @param dryRun when true the request becomes a dry run whatever the file says
   * @param twoPerson when true the request needs two people whatever the file says: an option can
   *     make a file's request stricter, never looser
   * @throws UserError when the file cannot be read or is not a request
   */
  static RemediationRequest read(Path file, boolean dryRun, boolean twoPerson) {
    String origin = "request " + file + ": ";
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UserError(origin + "no such file");
    } catch (IOException e) {
      throw new UserError(origin + "cannot read it (" + e.getMessage() + ")");
    }
    RemediationRequest r;
    try {
      JsonNode tree = MAPPER.readTree(text);
      if (tree == null || tree.isMissingNode()) throw new UserError(origin + "the file is empty");
      if (!tree.isObject()) {
        throw new UserError(origin + "expected a JSON object with tenant and servers");
      }
      // Fields abafix fills in itself are not a file's to set: refused, never silently dropped.
      if (tree.has("origin")) {
        throw new UserError(
            origin
                + "unknown field 'origin': abafix sets it for a run an incident starts, not a"
                + " request file");
      }
      if (tree.has("rehearsed")) {
        throw new UserError(
            origin
                + "unknown field 'rehearsed': give the rehearsal with --rehearsed FILE, which"
                + " abafix checks, not inside the request");
      }
      // As on the command line, the wizard's steps are a person's unless the file says otherwise.
      if (!tree.has("operatorSteps")) {
        ((ObjectNode) tree)
            .set("operatorSteps", MAPPER.valueToTree(RemediationRequest.DOCUMENTED_OPERATOR_STEPS));
      }
      r = MAPPER.treeToValue(tree, RemediationRequest.class);
    } catch (JsonProcessingException e) {
      throw new UserError(origin + describe(e));
    }
    if (!r.approvals().required()) {
      // Only a person's signed approval lets a destructive step run: a file cannot waive it.
      throw new UserError(
          origin
              + "approvals.required cannot be false: every destructive step needs a signed"
              + " approval, which the workers check themselves");
    }
    if (!dryRun && !(twoPerson && !r.approvals().twoPerson())) return r;
    ApprovalPolicy approvals =
        twoPerson
            ? new ApprovalPolicy(r.approvals().required(), true, r.approvals().timeoutSeconds())
            : r.approvals();
    return new RemediationRequest(
        r.tenant(),
        r.servers(),
        r.credentialReference(),
        r.credentialReferences(),
        dryRun || r.dryRun(),
        approvals,
        r.timings(),
        r.requestedBy(),
        r.operatorSteps());
  }

  /** One line naming where Jackson stopped, without its multi-line source excerpt. */
  private static String describe(JsonProcessingException e) {
    String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
    if (e instanceof UnrecognizedPropertyException u) {
      List<JsonMappingException.Reference> refs = u.getPath();
      String parent = path(refs.subList(0, Math.max(0, refs.size() - 1)));
      TreeSet<String> known = new TreeSet<>();
      u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      return (parent.isEmpty() ? "" : parent + ": ")
          + "unknown field '"
          + u.getPropertyName()
          + "' (known: "
          + String.join(", ", known)
          + ")";
    }
    String at = path.isEmpty() ? "" : path + ": ";
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return at + v.getCause().getMessage();
    }
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    if (newline >= 0) message = message.substring(0, newline);
    // Jackson points at the opening brace with a source excerpt; the line number says enough.
    message = message.replaceAll(" \\(start marker at \\[Source: [^]]*]\\)", "");
    if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
      message += " (line " + e.getLocation().getLineNr() + ")";
    }
    return at + message;
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
