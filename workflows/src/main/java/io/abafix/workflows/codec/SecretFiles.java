package io.abafix.workflows.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files that hold keys: written atomically, readable by their owner only (mode 0600, or on Windows
 * an ACL with the owner alone), and refused when anyone else may read them.
 */
public final class SecretFiles {
  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private SecretFiles() {}

  /**
   * Refuses a key file that is missing or that the group or others may read or write.
   *
   * @throws IllegalArgumentException naming the file and the command that fixes it
   */
  public static void requireOwnerOnly(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("the " + what + " " + file + " does not exist");
    }
    PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (posix == null) return; // NTFS: keygen wrote an owner-only ACL; icacls checks it.
    try {
      Set<PosixFilePermission> mode = posix.readAttributes().permissions();
      if (mode.stream().anyMatch(OTHERS::contains)) {
        throw new IllegalArgumentException(
            "the "
                + what
                + " "
                + file
                + " is readable by others (mode "
                + PosixFilePermissions.toString(mode)
                + "): run chmod 600 "
                + file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the permissions of " + file, e);
    }
  }

  /**
   * Creates {@code file} with {@code content}, readable by its owner only, all at once: the content
   * goes to a private temporary file beside it, which is then linked into place. Never overwrites.
   *
   * @throws FileAlreadyExistsException when {@code file} exists
   */
  public static void createOwnerOnly(Path file, byte[] content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
    Path temp =
        posix
            ? Files.createTempFile(
                dir,
                ".abafix-key",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createTempFile(dir, ".abafix-key", ".tmp");
    try {
      if (!posix) ownerOnlyAcl(temp);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(content));
        channel.force(true);
      }
      try {
        // A hard link fails if the name exists, so a key is never replaced, and appears whole.
        Files.createLink(file, temp);
      } catch (UnsupportedOperationException | AccessDeniedException noLinks) {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void ownerOnlyAcl(Path file) throws IOException {
    AclFileAttributeView acl = Files.getFileAttributeView(file, AclFileAttributeView.class);
    if (acl == null) return;
    UserPrincipal owner = Files.getOwner(file);
    acl.setAcl(
        List.of(
            AclEntry.newBuilder()
                .setType(AclEntryType.ALLOW)
                .setPrincipal(owner)
                .setPermissions(
                    EnumSet.of(
                        AclEntryPermission.READ_DATA,
                        AclEntryPermission.WRITE_DATA,
                        AclEntryPermission.APPEND_DATA,
                        AclEntryPermission.READ_ATTRIBUTES,
                        AclEntryPermission.WRITE_ATTRIBUTES,
                        AclEntryPermission.READ_NAMED_ATTRS,
                        AclEntryPermission.WRITE_NAMED_ATTRS,
                        AclEntryPermission.READ_ACL,
                        AclEntryPermission.WRITE_ACL,
                        AclEntryPermission.DELETE,
                        AclEntryPermission.SYNCHRONIZE))
                .build()));
  }
}
