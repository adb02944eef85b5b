import com.sun.tools.attach.VirtualMachine;

/**
 * Sends a command to async-profiler in a running JVM through the attach API: {@code java
 * bench/AsyncProfilerAttach.java PID LIBRARY COMMAND}, e.g. {@code start,event=cpu,interval=2ms} or
 * {@code stop,file=n1.collapsed,collapsed}. (jcmd's JVMTI.agent_load splits the command at its '=' signs.)
 */
public class AsyncProfilerAttach {
  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      vm.loadAgentPath(args[1], args[2]);
    } finally {
      vm.detach();
    }
  }
}
