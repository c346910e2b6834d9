package io.abafix.cli;

import com.google.protobuf.Empty;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.temporal.api.testservice.v1.SleepRequest;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The embedded server's clock, through its test service. Time stays locked (it runs at the real
 * rate) except inside {@link #sleep}, which lets the server skip ahead while nothing runs: a step
 * in progress still takes its real time, and no timeout fires under it.
 */
final class SkippedTime implements AutoCloseable {
  private final ManagedChannel channel;
  private final TestServiceStubs stubs;

  SkippedTime(String address) {
    channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
    stubs =
        TestServiceStubs.newServiceStubs(
            TestServiceStubsOptions.newBuilder()
                .setChannel(channel)
                .validateAndBuildWithDefaults());
  }

  /** The server's time, epoch millis. */
  long now() {
    var t = stubs.blockingStub().getCurrentTime(Empty.getDefaultInstance()).getTime();
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  /** Lets {@code d} of server time pass, skipping what no running step needs. */
  void sleep(Duration d) {
    if (d.isNegative() || d.isZero()) return;
    stubs
        .blockingStub()
        .unlockTimeSkippingWithSleep(
            SleepRequest.newBuilder()
                .setDuration(
                    com.google.protobuf.Duration.newBuilder()
                        .setSeconds(d.getSeconds())
                        .setNanos(d.getNano()))
                .build());
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
