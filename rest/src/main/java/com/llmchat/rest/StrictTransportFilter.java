package com.llmchat.rest;

import com.llmchat.platform.control.StrictTransport;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** HSTS on the API's responses when TLS is in use (the other security headers are WildFly's). */
// asynchronous requests (the reply streams) pass through it
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class StrictTransportFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    StrictTransport.apply(request, response);
    chain.doFilter(request, response);
  }
}
