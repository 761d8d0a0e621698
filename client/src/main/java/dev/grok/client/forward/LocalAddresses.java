package dev.grok.client.forward;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The local service's addresses, resolved once at start (never on an event loop), and the connect that tries each
 * of them: {@code localhost} may resolve to 127.0.0.1 and ::1 while the service listens on only one of them. The
 * address that accepted last is tried first next time. Shared by the HTTP and the TCP forwarders.
 */
final class LocalAddresses {
  private final String host;
  private final int port;
  /** Never empty; an unresolved address when the host could not be resolved at start. */
  private final List<InetSocketAddress> addresses;
  /** Index in {@link #addresses} of the address that accepted the last connection. */
  private volatile int preferred;

  LocalAddresses(String host, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    this.host = host;
    this.port = port;
    this.addresses = resolve(host, port);
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** {@code host:port} as used in failure messages. */
  String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Connects with {@code bootstrap} (whose group is {@code loop}), trying each address once. */
  Future<Channel> connect(Bootstrap bootstrap, EventLoop loop) {
    Promise<Channel> promise = loop.newPromise();
    connect(bootstrap, preferred, 0, promise);
    return promise;
  }

  private void connect(Bootstrap bootstrap, int index, int tried, Promise<Channel> promise) {
    ChannelFuture f = bootstrap.connect(addresses.get(index));
    f.addListener(done -> {
      if (done.isSuccess()) {
        preferred = index;
        promise.setSuccess(f.channel());
      } else if (tried + 1 < addresses.size() && done.cause() instanceof ConnectException
          && !(done.cause() instanceof ConnectTimeoutException)) {
        connect(bootstrap, (index + 1) % addresses.size(), tried + 1, promise);
      } else {
        promise.setFailure(done.cause());
      }
    });
  }

  /** What a failed connect means, for LocalFailure messages. */
  String connectFailure(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "connection timed out: " + authority();
    }
    if (cause instanceof ConnectException) {
      return "connection refused: " + authority();
    }
    if (cause instanceof UnknownHostException) {
      return "unknown host: " + host;
    }
    return "cannot connect to " + authority() + ": " + cause;
  }

  private static List<InetSocketAddress> resolve(String host, int port) {
    List<InetSocketAddress> out = new ArrayList<>();
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        out.add(new InetSocketAddress(a, port));
      }
    } catch (UnknownHostException e) {
      // Not resolvable now: let each connect try again (and fail with "unknown host" while it still is not).
      out.add(InetSocketAddress.createUnresolved(host, port));
    }
    return List.copyOf(out);
  }
}
