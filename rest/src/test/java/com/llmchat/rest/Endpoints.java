package com.llmchat.rest;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The API's resource methods as the tests find them: by reflection over this package. */
final class Endpoints {

  private static final Set<Class<? extends Annotation>> NOT_THE_BODY =
      Set.of(
          PathParam.class,
          QueryParam.class,
          HeaderParam.class,
          CookieParam.class,
          MatrixParam.class,
          FormParam.class,
          BeanParam.class,
          Context.class);

  private Endpoints() {}

  /** Every type a resource method reads its request body as. */
  static List<Type> bodyTypes() {
    Set<Type> types = new LinkedHashSet<>();
    for (Class<?> resource : resources()) {
      for (Method method : resource.getDeclaredMethods()) {
        if (!isResourceMethod(method)) {
          continue;
        }
        for (Parameter parameter : method.getParameters()) {
          if (Stream.of(parameter.getAnnotations())
              .noneMatch(a -> NOT_THE_BODY.contains(a.annotationType()))) {
            types.add(parameter.getParameterizedType());
          }
        }
      }
    }
    if (types.size() < 5) {
      throw new IllegalStateException("found only these request bodies: " + types);
    }
    return List.copyOf(types);
  }

  private static boolean isResourceMethod(Method method) {
    return Stream.of(method.getAnnotations())
        .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class));
  }

  /** The classes annotated with @Path in this package's folders (main and test classes). */
  private static List<Class<?>> resources() {
    String folder = Endpoints.class.getPackageName().replace('.', '/');
    List<Class<?>> found = new ArrayList<>();
    try {
      for (URL url : Collections.list(Endpoints.class.getClassLoader().getResources(folder))) {
        try (Stream<java.nio.file.Path> files = Files.list(java.nio.file.Path.of(url.toURI()))) {
          files
              .map(file -> file.getFileName().toString())
              .filter(name -> name.endsWith(".class") && !name.contains("$"))
              .map(
                  name -> load(Endpoints.class.getPackageName() + "." + name.replace(".class", "")))
              .filter(type -> type.isAnnotationPresent(Path.class))
              .forEach(found::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return found;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, Endpoints.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
