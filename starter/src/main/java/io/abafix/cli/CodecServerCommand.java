package io.abafix.cli;

import io.abafix.workflows.codec.PayloadEncryption;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix codec-server}: lets the Temporal Web UI show abafix's encrypted payloads (see
 * {@link CodecServer}).
 */
@Command(
    name = "codec-server",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix codec-server --encryption-key-file abafix.key \\",
      "      --ui-origin http://localhost:8233 --access-token-file codec-token.txt"
    },
    description =
        "Decode abafix's encrypted payloads for the Temporal Web UI (Temporal's codec-server protocol).")
final class CodecServerCommand implements Callable<Integer> {
  /** Where the access token is read when no --access-token-file is given. */
  static final String TOKEN_ENV = "ABAFIX_CODEC_ACCESS_TOKEN";

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8081",
      description = "Port to listen on (default ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only)")
  String host;

  @Option(
      names = "--ui-origin",
      required = true,
      description = "The Web UI's origin, the only one allowed to call, e.g. http://localhost:8233")
  String uiOrigin;

  @Option(
      names = "--access-token-file",
      description =
          "File holding the token callers send as 'Authorization: Bearer TOKEN'"
              + " (default: "
              + TOKEN_ENV
              + ")")
  Path tokenFile;

  @Option(
      names = "--encryption-key-file",
      description = "The payload key the workers use (default: ABAFIX_ENCRYPTION_KEY_FILE)")
  Path keyFile;

  /** Counted down when the server should stop; tests stop it, a user stops it with Ctrl-C. */
  final CountDownLatch stop = new CountDownLatch(1);

  volatile CodecServer running;

  @Override
  public Integer call() throws InterruptedException {
    String origin = origin(uiOrigin);
    String token = token();
    var codec =
        PayloadEncryption.fromEnvironment(
            name ->
                keyFile != null && name.equals(PayloadEncryption.KEY_FILE)
                    ? keyFile.toString()
                    : System.getenv(name));
    PrintWriter out = spec.commandLine().getOut();
    try (CodecServer server = CodecServer.start(host, port, origin, token, codec)) {
      running = server;
      out.println(
          "codec server on http://"
              + host
              + ":"
              + server.port()
              + " for "
              + origin
              + " (start the Web UI with --ui-codec-endpoint http://"
              + host
              + ":"
              + server.port()
              + ")");
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      stop.await();
    }
    return 0;
  }

  /** The origin as the browser sends it: scheme://host[:port], no path. */
  private static String origin(String given) {
    URI uri;
    try {
      uri = URI.create(given);
    } catch (IllegalArgumentException e) {
      throw new UserError("--ui-origin " + given + " is not a URL: use e.g. http://localhost:8233");
    }
    if (uri.getScheme() == null
        || uri.getHost() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
      throw new UserError(
          "--ui-origin "
              + given
              + " is not an origin: use scheme://host[:port], e.g. http://localhost:8233");
    }
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }

  private String token() {
    String token;
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile).strip();
      } catch (IOException e) {
        throw new UserError("cannot read --access-token-file " + tokenFile + ": " + e.getMessage());
      }
    } else {
      token = System.getenv(TOKEN_ENV);
    }
    if (token == null || token.isBlank()) {
      throw new UserError(
          "no access token: give --access-token-file FILE or set "
              + TOKEN_ENV
              + " (anyone with it reads every run's payloads)");
    }
    if (token.length() < 16) {
      throw new UserError("the access token is shorter than 16 characters: use a long random one");
    }
    return token;
  }
}
