package io.abafix.activities.powershell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * What the shipped scripts must say where no PowerShell runs here to show it: the ADSync objects,
 * whose properties differ between builds, are read without a dot (under {@code Set-StrictMode} a
 * missing property throws), and a connector password is dropped by its name as well as its type. A
 * first run on a server confirms the rest (docs/server-side.md, "Known limits").
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScriptTextTest {

  private static String script(String name) throws IOException {
    try (InputStream in =
        PowerShellScript.class.getResourceAsStream("/io/abafix/activities/powershell/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String function(String text, String name) {
    Matcher m = Pattern.compile("(?s)function " + name + " \\{(.*?)\\n\\}").matcher(text);
    assertTrue(m.find(), "no function " + name);
    return m.group(1);
  }

  @Test
  void the_connector_is_read_only_through_its_properties_table() throws IOException {
    String state = script("Get-AbafixServerState.ps1");
    assertFalse(
        Pattern.compile("\\$connector\\.(?!PSObject)").matcher(state).find(),
        "a dotted read of the connector throws under strict mode when a build lacks it");
    assertFalse(state.contains("$_.DataType"), "a dotted read of a parameter's DataType");
    String property = function(script("AbafixCommon.ps1"), "Get-AbafixProperty");
    assertTrue(property.contains(".PSObject.Properties[$Name]"), property);
  }

  @Test
  void a_password_parameter_is_dropped_by_name_and_by_type() throws IOException {
    String state = script("Get-AbafixServerState.ps1");
    assertTrue(
        state.contains("Where-Object { -not (Test-AbafixSecretParameter $_) }"),
        "the connector's parameters pass the secret filter");
    String secret = function(script("AbafixCommon.ps1"), "Test-AbafixSecretParameter");
    assertTrue(secret.contains("$name -like '*password*'"), secret);
    assertTrue(secret.contains("$dataType -like '*encrypted*'"), secret);
    assertTrue(secret.contains("-is [System.Security.SecureString]"), secret);
  }
}
