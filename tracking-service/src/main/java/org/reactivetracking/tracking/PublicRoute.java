package org.reactivetracking.tracking;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method as public: requests routed to it need no admin key ({@link PublicHandler} does the same for a
 * router function's handler). Every other route needs the key (the guard decides on the route a request is
 * dispatched to, never on its raw path), so a new public route opts in here, explicitly.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface PublicRoute {
}
