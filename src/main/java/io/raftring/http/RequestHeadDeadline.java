package io.raftring.http;

import akka.NotUsed;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.stream.Attributes;
import akka.stream.BidiShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.TimerGraphStageLogic;
import java.time.Duration;

/**
 * Closes a connection that does not deliver a complete request head within a deadline, counted from when the
 * connection was opened or its previous answer was sent. akka-http's idle-timeout restarts at every byte, so without
 * this a client dribbling a head one byte at a time, or simply keeping connections open, would hold a connection
 * (one of {@code max-connections}) for as long as it likes.
 *
 * <p>It sits between akka-http's server layer and the routes, one instance per connection (akka-http materializes
 * the handler flow when it accepts the connection): a request passing in stops the clock, the last answer passing
 * out starts it again. When it runs out the stage completes, and akka-http closes the connection after whatever
 * answer it is still sending. A request being worked on, or whose body is being read, is never cut by it; the body
 * has its own deadline ({@link RequestBodies}).
 */
final class RequestHeadDeadline
    extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {

  private final Inlet<HttpRequest> requestsIn = Inlet.create("RequestHeadDeadline.requestsIn");
  private final Outlet<HttpRequest> requestsOut = Outlet.create("RequestHeadDeadline.requestsOut");
  private final Inlet<HttpResponse> responsesIn = Inlet.create("RequestHeadDeadline.responsesIn");
  private final Outlet<HttpResponse> responsesOut = Outlet.create("RequestHeadDeadline.responsesOut");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      new BidiShape<>(requestsIn, requestsOut, responsesIn, responsesOut);
  private final Duration timeout;

  private RequestHeadDeadline(Duration timeout) {
    this.timeout = timeout;
  }

  /** {@code handler} behind the deadline: the flow to bind for each connection. */
  static Flow<HttpRequest, HttpResponse, NotUsed> around(Flow<HttpRequest, HttpResponse, NotUsed> handler,
      Duration timeout) {
    return BidiFlow.fromGraph(new RequestHeadDeadline(timeout)).join(handler);
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      private static final String HEAD_DEADLINE = "head-deadline";
      private int inFlight;

      {
        setHandler(requestsIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            cancelTimer(HEAD_DEADLINE);
            inFlight++;
            push(requestsOut, grab(requestsIn));
          }

          @Override
          public void onUpstreamFinish() {
            complete(requestsOut);
          }
        });
        setHandler(requestsOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(requestsIn);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(requestsIn, cause);
          }
        });
        setHandler(responsesIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            push(responsesOut, grab(responsesIn));
            if (--inFlight == 0) {
              scheduleOnce(HEAD_DEADLINE, timeout);
            }
          }

          @Override
          public void onUpstreamFinish() {
            complete(responsesOut);
          }
        });
        setHandler(responsesOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(responsesIn);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(responsesIn, cause);
          }
        });
      }

      @Override
      public void preStart() {
        scheduleOnce(HEAD_DEADLINE, timeout);
      }

      @Override
      public void onTimer(Object key) {
        completeStage();
      }
    };
  }
}
