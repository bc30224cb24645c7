package keyquota.infrastructure.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file in the data directory that holds a generated operator key's secret, readable by its owner only. The
 * secret is written beside it first ({@link #prepare}) and takes the file's name only once the key has taken
 * effect ({@link #commit}), so a failed write cannot leave a key that nobody holds.
 */
public final class OperatorKeyFile {

    public static final String NAME = "operator-key";

    private final Path file;
    private final Path pending;

    public OperatorKeyFile(Path dataDirectory) {
        this.file = dataDirectory.resolve(NAME);
        this.pending = dataDirectory.resolve(NAME + ".pending");
    }

    public Path path() {
        return file;
    }

    /** Writes the secret to the pending file, replacing any earlier one. */
    public void prepare(String secret) {
        try {
            Files.createDirectories(pending.getParent());
            Files.deleteIfExists(pending);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(pending,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(pending);
            }
            Files.writeString(pending, secret + System.lineSeparator(), StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the operator key file " + pending, e);
        }
    }

    /** The pending secret becomes the file's. */
    public void commit() {
        try {
            Files.move(pending, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the operator key file to " + file, e);
        }
    }

    /** The pending secret is not needed after all (another node's key was kept). */
    public void discard() {
        try {
            Files.deleteIfExists(pending);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + pending, e);
        }
    }
}
