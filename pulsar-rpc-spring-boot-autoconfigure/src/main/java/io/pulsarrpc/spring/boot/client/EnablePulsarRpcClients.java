package io.pulsarrpc.spring.boot.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * Makes the generated {@code FooClient}s of more packages into beans. Without it, the starter scans
 * the application's auto-configuration packages (the package of the {@code @SpringBootApplication}
 * class and below), as Spring Data does for repositories; put this on a configuration class to add
 * packages elsewhere, for example a shared library of generated services. Has no effect when the
 * starter is off.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Import(ClientPackagesRegistrar.class)
public @interface EnablePulsarRpcClients {

  /** The packages to scan, with their sub-packages. */
  String[] basePackages() default {};

  /** Classes whose packages to scan, a type-safe alternative to {@link #basePackages()}. */
  Class<?>[] basePackageClasses() default {};
}
