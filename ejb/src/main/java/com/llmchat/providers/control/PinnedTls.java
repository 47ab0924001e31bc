package com.llmchat.providers.control;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * TLS to a model server by its host name over a connection to an address checked beforehand: the
 * client is given the address (so that it looks nothing up), and every socket this context makes
 * asks for the host name (SNI) and has the JDK verify the server's certificate against that name
 * during the handshake (endpoint identification), exactly as a connection by name would.
 */
final class PinnedTls {

  private PinnedTls() {}

  /** A context like {@code base} whose client sockets speak to {@code host}. */
  static SSLContext context(SSLContext base, String host) {
    return new SSLContext(new Spi(base, host), base.getProvider(), base.getProtocol()) {};
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext base;
    private final String host;

    Spi(SSLContext base, String host) {
      this.base = base;
      this.host = host;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      throw new KeyManagementException("already initialised by its base context");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return new Sockets(base.getSocketFactory(), host);
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return base.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return named(base.createSSLEngine(host, -1));
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String peerHost, int port) {
      return named(base.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return base.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return base.getClientSessionContext();
    }

    private SSLEngine named(SSLEngine engine) {
      engine.setSSLParameters(parameters(engine.getSSLParameters(), host));
      return engine;
    }
  }

  /** Every socket made asks for the host name and checks the certificate against it. */
  private static final class Sockets extends SSLSocketFactory {
    private final SSLSocketFactory base;
    private final String host;

    Sockets(SSLSocketFactory base, String host) {
      this.base = base;
      this.host = host;
    }

    private Socket named(Socket socket) {
      if (socket instanceof SSLSocket tls) {
        tls.setSSLParameters(parameters(tls.getSSLParameters(), host));
      }
      return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return base.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return base.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket(Socket s, String peer, int port, boolean autoClose)
        throws IOException {
      return named(base.createSocket(s, peer, port, autoClose));
    }

    @Override
    public Socket createSocket(Socket s, InputStream consumed, boolean autoClose)
        throws IOException {
      return named(base.createSocket(s, consumed, autoClose));
    }

    @Override
    public Socket createSocket() throws IOException {
      return named(base.createSocket());
    }

    @Override
    public Socket createSocket(String peer, int port) throws IOException {
      return named(base.createSocket(peer, port));
    }

    @Override
    public Socket createSocket(String peer, int port, InetAddress localHost, int localPort)
        throws IOException {
      return named(base.createSocket(peer, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress peer, int port) throws IOException {
      return named(base.createSocket(peer, port));
    }

    @Override
    public Socket createSocket(InetAddress peer, int port, InetAddress localAddress, int localPort)
        throws IOException {
      return named(base.createSocket(peer, port, localAddress, localPort));
    }
  }

  private static SSLParameters parameters(SSLParameters parameters, String host) {
    parameters.setServerNames(List.of(new SNIHostName(host)));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    return parameters;
  }
}
