package dev.grok.common.relay;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DuplexChannel;

/**
 * An {@link EmbeddedChannel} that can half-close like a socket: {@code shutdownOutput} is recorded (with how many
 * outbound messages were written before it), and so is an SO_LINGER setting.
 */
final class DuplexEmbeddedChannel extends EmbeddedChannel implements DuplexChannel {
  /** Outbound messages written when the output was shut down; -1 while it is not. */
  int outputShutAfterMessages = -1;
  /** The SO_LINGER value set; null when never set. */
  Integer linger;
  private ChannelConfig config;

  @Override
  public ChannelConfig config() {
    if (config == null) {
      config = new DefaultChannelConfig(this) {
        @Override
        public <T> boolean setOption(ChannelOption<T> option, T value) {
          if (option == ChannelOption.SO_LINGER) {
            linger = (Integer) value;
            return true;
          }
          return super.setOption(option, value);
        }
      };
    }
    return config;
  }

  @Override
  public boolean isInputShutdown() {
    return false;
  }

  @Override
  public ChannelFuture shutdownInput() {
    return newSucceededFuture();
  }

  @Override
  public ChannelFuture shutdownInput(ChannelPromise promise) {
    return promise.setSuccess();
  }

  @Override
  public boolean isOutputShutdown() {
    return outputShutAfterMessages >= 0;
  }

  @Override
  public ChannelFuture shutdownOutput() {
    return shutdownOutput(newPromise());
  }

  @Override
  public ChannelFuture shutdownOutput(ChannelPromise promise) {
    outputShutAfterMessages = outboundMessages().size();
    return promise.setSuccess();
  }

  @Override
  public boolean isShutdown() {
    return isOutputShutdown();
  }

  @Override
  public ChannelFuture shutdown() {
    return shutdownOutput();
  }

  @Override
  public ChannelFuture shutdown(ChannelPromise promise) {
    return shutdownOutput(promise);
  }
}
