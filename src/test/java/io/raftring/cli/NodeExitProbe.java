package io.raftring.cli;

import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;

/**
 * A stand-in for a node's JVM in {@link NodeExitTest}: an ActorSystem with {@link NodeExit} installed that prints
 * READY, then either overflows its stack inside an actor ({@code fatal}) or waits for a signal ({@code wait}).
 */
final class NodeExitProbe {

  private NodeExitProbe() {}

  public static void main(String[] args) {
    ActorSystem<String> system = ActorSystem.create(Behaviors.receiveMessage(message -> {
      if (message.equals("overflow")) {
        descend(0);
      }
      return Behaviors.same();
    }), "probe", ConfigFactory.parseString("akka.actor.provider = local\nakka.loglevel = ERROR")
        .withFallback(ConfigFactory.load()));
    CoordinatedShutdown.get(system); // a node's HTTP server and cluster start it; it runs on SIGTERM
    NodeExit.install(system);
    System.out.println("READY");
    System.out.flush();
    if (args.length > 0 && args[0].equals("fatal")) {
      system.tell("overflow");
    }
    system.getWhenTerminated().toCompletableFuture().join();
  }

  private static int descend(int depth) {
    return descend(depth + 1) + 1;
  }
}
