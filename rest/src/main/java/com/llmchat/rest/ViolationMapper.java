package com.llmchat.rest;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Takes bean validation failures before RESTEasy's own report format does. */
@Provider
public class ViolationMapper implements ExceptionMapper<ConstraintViolationException> {

  @Override
  public Response toResponse(ConstraintViolationException exception) {
    return ProblemMapper.invalid(exception).toResponse().build();
  }
}
