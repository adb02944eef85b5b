package io.raftring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starting a test's helper class in a JVM of its own, with the build's class path. */
public final class ChildJvm {

  private ChildJvm() {}

  /** {@code java -cp <build class path> [jvmOptions] mainClass args}, output and errors merged. */
  public static ProcessBuilder of(Class<?> mainClass, List<String> jvmOptions, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  /**
   * Surefire may start the tests with a manifest-only booter jar as java.class.path, so build the class path from
   * what Maven wrote: target/test-classes, target/classes and target/classpath.txt.
   */
  public static String classPath() throws Exception {
    Path testClasses = Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path target = testClasses.getParent();
    Path dependencies = target.resolve("classpath.txt");
    if (!Files.exists(dependencies)) {
      return System.getProperty("java.class.path");
    }
    return testClasses + java.io.File.pathSeparator + target.resolve("classes") + java.io.File.pathSeparator
        + Files.readString(dependencies).trim();
  }
}
