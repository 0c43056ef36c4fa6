package io.gatehouse.web;

import io.gatehouse.api.ForbiddenException;
import io.gatehouse.api.NotFoundException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/** Console pages show a plain error page for records that do not exist and for forbidden actions. */
@ControllerAdvice(annotations = Controller.class)
@Order(Ordered.LOWEST_PRECEDENCE)
class ConsoleExceptionHandler {

	@ExceptionHandler({ NotFoundException.class, MethodArgumentTypeMismatchException.class })
	@ResponseStatus(HttpStatus.NOT_FOUND)
	ModelAndView notFound() {
		return new ModelAndView("error/404");
	}

	@ExceptionHandler(ForbiddenException.class)
	@ResponseStatus(HttpStatus.FORBIDDEN)
	ModelAndView forbidden(ForbiddenException ex) {
		ModelAndView view = new ModelAndView("error/403");
		view.addObject("reason", ex.getMessage());
		return view;
	}

}
