package io.gatehouse.database;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories and files only the account that runs Gatehouse may read: {@code rwx------} and {@code rw-------}. On
 * file systems without POSIX permissions (Windows) the permissions are left as they are.
 */
public final class PrivateFiles {

	static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

	static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

	private PrivateFiles() {
	}

	/** Creates the directory and its missing parents; the directory itself is made private, new or not. */
	public static void createDirectory(Path directory) throws IOException {
		if (!posix()) {
			Files.createDirectories(directory);
			return;
		}
		if (!Files.isDirectory(directory)) {
			Path parent = directory.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			try {
				Files.createDirectory(directory, attribute(DIRECTORY));
			}
			catch (FileAlreadyExistsException ex) {
				// created meanwhile by someone else: made private below
			}
		}
		restrict(directory, DIRECTORY);
	}

	/**
	 * Writes a new file that is private from its creation, and forces it to the disk before returning. Fails with
	 * {@link FileAlreadyExistsException} if the file exists, so two processes never overwrite each other's file.
	 */
	public static void createFile(Path file, byte[] content) throws IOException {
		FileAttribute<?>[] attributes = posix() ? new FileAttribute<?>[] { attribute(FILE) } : new FileAttribute<?>[0];
		try (FileChannel channel = FileChannel.open(file,
				Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)) {
			ByteBuffer buffer = ByteBuffer.wrap(content);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			channel.force(true);
		}
	}

	/** Makes an existing file private. */
	public static void restrictFile(Path file) throws IOException {
		restrict(file, FILE);
	}

	private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
		if (posix() && !Files.getPosixFilePermissions(path).equals(permissions)) {
			Files.setPosixFilePermissions(path, permissions);
		}
	}

	private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
		return PosixFilePermissions.asFileAttribute(permissions);
	}

	private static boolean posix() {
		return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
	}

}
