package io.abafix.activities.policy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a per-server worker lets the workflow ask of it, from the worker's own configuration file
 * ({@code abafix-worker server --policy FILE}): the workflow names things, the worker decides what
 * they are. Checked in Java before any PowerShell process starts.
 *
 * <pre>
 * {
 *   "moduleFolders": {
 *     "D:\\abafix\\modules\\ADSyncTools": {
 *       "version": "2.3.0",
 *       "files": { "ADSyncTools.psd1": "&lt;sha256 hex&gt;", "ADSyncTools.psm1": "&lt;sha256 hex&gt;" }
 *     }
 *   },
 *   "galleryVersion": "2.3.0",
 *   "credentials": { "hybrid-identity-admin": "C:\\ProgramData\\abafix\\hybrid-identity-admin.xml" }
 * }
 * </pre>
 *
 * <ul>
 *   <li>A module source is {@code gallery} only when {@code galleryVersion} pins the version, or
 *       one of {@code moduleFolders} (never a UNC path), whose files must be exactly those listed,
 *       each with that SHA-256, and whose manifest must declare that version.
 *   <li>A credential reference is a name in {@code credentials}, which maps it to a CLIXML file;
 *       {@code clixml:<path>} is accepted only for a path the map names.
 * </ul>
 */
public final class ServerWorkerPolicy {
  /** Only the Gallery at a pinned version, no folder, no credential: the start of a file. */
  private static final ServerWorkerPolicy NONE =
      new ServerWorkerPolicy(Map.of(), null, Map.of(), true);

  private static final ServerWorkerPolicy UNRESTRICTED =
      new ServerWorkerPolicy(Map.of(), null, Map.of(), false);

  private static final Pattern MODULE_VERSION =
      Pattern.compile("(?m)(?:^|[;{])\\s*ModuleVersion\\s*=\\s*['\"]([0-9.]+)['\"]");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final String CLIXML = "clixml:";

  /** One allowed module folder. */
  public record ModuleFolder(String version, Map<String, String> files) {}

  private record File(
      Map<String, ModuleFolder> moduleFolders,
      String galleryVersion,
      Map<String, String> credentials) {}

  private final Map<String, ModuleFolder> folders;
  private final String galleryVersion;
  private final Map<String, String> credentials;
  private final boolean enforced;

  private ServerWorkerPolicy(
      Map<String, ModuleFolder> folders,
      String galleryVersion,
      Map<String, String> credentials,
      boolean enforced) {
    this.folders = folders;
    this.galleryVersion = galleryVersion;
    this.credentials = credentials;
    this.enforced = enforced;
  }

  /** A worker with no policy file: nothing the workflow names is allowed until one says so. */
  public static ServerWorkerPolicy none() {
    return NONE;
  }

  /**
   * No checks: for the lab only, whose servers, folders and credential files are simulated and
   * exist on no disk. Production workers always build a policy ({@link #load}, {@link #none}).
   */
  public static ServerWorkerPolicy unrestricted() {
    return UNRESTRICTED;
  }

  /**
   * Reads a policy file.
   *
   * @throws IllegalArgumentException naming the field, for an unreadable or malformed file, a UNC
   *     folder, a hash that is not SHA-256 hex or a credential file that is not an absolute path
   */
  public static ServerWorkerPolicy load(Path file) {
    File f;
    try {
      f =
          JsonMapper.builder()
              .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
              .build()
              .readValue(file.toFile(), File.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the server worker policy " + file + ": " + e.getMessage(), e);
    }
    Map<String, ModuleFolder> folders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (f.moduleFolders() != null) {
      f.moduleFolders()
          .forEach(
              (folder, m) -> {
                if (isUnc(folder)) {
                  throw new IllegalArgumentException(
                      "moduleFolders: " + folder + " is a UNC path; stage modules on this server");
                }
                if (m == null || m.version() == null || m.files() == null || m.files().isEmpty()) {
                  throw new IllegalArgumentException(
                      "moduleFolders." + folder + " needs a version and its files' SHA-256");
                }
                m.files()
                    .forEach(
                        (name, hash) -> {
                          if (hash == null || !SHA256.matcher(hash).matches()) {
                            throw new IllegalArgumentException(
                                "moduleFolders." + folder + ".files." + name + " is not SHA-256");
                          }
                        });
                folders.put(normalise(folder), m);
              });
    }
    Map<String, String> credentials = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (f.credentials() != null) {
      f.credentials()
          .forEach(
              (name, path) -> {
                if (path == null || isUnc(path) || !looksAbsolute(path)) {
                  throw new IllegalArgumentException(
                      "credentials." + name + " must be an absolute local path to a CLIXML file");
                }
                credentials.put(name, path);
              });
    }
    return new ServerWorkerPolicy(folders, f.galleryVersion(), credentials, true);
  }

  /** The version the Gallery path must install, when the policy pins one. */
  /** The credential names this policy maps, each to its CLIXML file. */
  public Map<String, String> credentialFiles() {
    return credentials;
  }

  public Optional<String> galleryVersion() {
    return Optional.ofNullable(galleryVersion);
  }

  /**
   * Checks a module source before anything runs.
   *
   * @throws HostException PERMANENT when the source is not allowed, or a folder's files or version
   *     are not the ones the policy lists
   */
  public void checkModuleSource(String source) {
    if (!enforced) return;
    if (source == null || source.isBlank()) throw refused("no module source was given");
    if (source.equalsIgnoreCase("gallery")) {
      if (galleryVersion == null) {
        throw refused(
            "this worker's policy pins no Gallery version (galleryVersion): the Gallery is not"
                + " allowed");
      }
      return;
    }
    if (isUnc(source)) {
      throw refused("module source " + source + " is a UNC path: stage the module on this server");
    }
    ModuleFolder folder = folders.get(normalise(source));
    if (folder == null) {
      throw refused(
          "module source "
              + source
              + " is not a folder this worker's policy allows (moduleFolders)");
    }
    verifyFiles(Path.of(source), folder);
  }

  /**
   * The reference the script gets for a name the workflow passed.
   *
   * @throws HostException PERMANENT when the policy does not name it
   */
  public String resolveCredential(String reference) {
    if (!enforced) return reference;
    if (reference == null || reference.isBlank()) throw refused("no credential reference");
    String path = credentials.get(reference.trim());
    if (path == null && reference.regionMatches(true, 0, CLIXML, 0, CLIXML.length())) {
      String named = reference.substring(CLIXML.length());
      path =
          credentials.values().stream()
              .filter(p -> p.equalsIgnoreCase(named))
              .findFirst()
              .orElse(null);
    }
    if (path == null) {
      throw refused(
          "credential reference "
              + reference
              + " is not a name this worker's policy maps to a file (credentials)");
    }
    return CLIXML + path;
  }

  private static void verifyFiles(Path dir, ModuleFolder expected) {
    Map<String, String> found = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        // Read as it is, links not followed: a link or junction inside an allowed folder would
        // let Import-Module load what the policy never listed.
        BasicFileAttributes a =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isDirectory()) continue;
        if (!a.isRegularFile()) {
          throw refused(
              "module folder "
                  + dir
                  + " holds "
                  + dir.relativize(p)
                  + ", which is a link or another special entry, not a regular file: copy the"
                  + " module's files there instead");
        }
        found.put(dir.relativize(p).toString().replace('\\', '/'), sha256(p));
      }
    } catch (IOException e) {
      throw refused("cannot read the module folder " + dir + ": " + e.getMessage());
    }
    Map<String, String> wanted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    expected
        .files()
        .forEach((k, v) -> wanted.put(k.replace('\\', '/'), v.toLowerCase(Locale.ROOT)));
    for (var e : wanted.entrySet()) {
      String actual = found.get(e.getKey());
      if (actual == null) throw refused("module folder " + dir + " lacks " + e.getKey());
      if (!actual.equals(e.getValue())) {
        throw refused(
            "module file "
                + e.getKey()
                + " in "
                + dir
                + " has SHA-256 "
                + actual
                + ", not the "
                + e.getValue()
                + " the policy lists: it was changed");
      }
    }
    for (String name : found.keySet()) {
      if (!wanted.containsKey(name)) {
        throw refused(
            "module folder " + dir + " holds " + name + ", which the policy does not list");
      }
    }
    String manifest =
        wanted.keySet().stream()
            .filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".psd1"))
            .findFirst()
            .orElseThrow(() -> refused("the policy lists no module manifest (.psd1) for " + dir));
    try {
      Matcher m = MODULE_VERSION.matcher(Files.readString(dir.resolve(manifest)));
      if (!m.find() || !m.group(1).equals(expected.version())) {
        throw refused(
            "module manifest "
                + manifest
                + " does not declare version "
                + expected.version()
                + " as the policy says");
      }
    } catch (IOException e) {
      throw refused("cannot read " + manifest + ": " + e.getMessage());
    }
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static boolean isUnc(String path) {
    return path.startsWith("\\\\") || path.startsWith("//");
  }

  private static boolean looksAbsolute(String path) {
    return path.matches("[A-Za-z]:\\\\.*") || path.startsWith("/");
  }

  private static String normalise(String folder) {
    String s = folder.replace('/', '\\');
    while (s.endsWith("\\") && s.length() > 3) s = s.substring(0, s.length() - 1);
    return s;
  }

  private static HostException refused(String why) {
    return new HostException(Category.PERMANENT, why);
  }
}
