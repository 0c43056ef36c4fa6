package io.gatehouse.api;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.type.LogicalType;

/**
 * Documents are read as written, or refused: a value of the wrong type is not coerced (123 is neither {@code true}
 * nor {@code "123"}, {@code "30"} is no number, 1.5 no integer), a property that appears twice is not silently
 * decided by its last occurrence, an unknown property is not ignored, and nothing may follow the document. The REST
 * API's JSON mapper is built this way ({@link StrictJsonConfiguration}), and so is any other reader of documents a
 * caller sends, whatever its format (the YAML of a configuration document).
 */
public final class StrictJson {

	private StrictJson() {
	}

	/** Configures a mapper builder of any format to read strictly. */
	public static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B strict(B builder) {
		return builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.withCoercionConfig(LogicalType.Boolean, config -> refuse(config, CoercionInputShape.Integer,
					CoercionInputShape.Float, CoercionInputShape.String, CoercionInputShape.EmptyString))
			.withCoercionConfig(LogicalType.Textual, config -> refuse(config, CoercionInputShape.Integer,
					CoercionInputShape.Float, CoercionInputShape.Boolean))
			.withCoercionConfig(LogicalType.Integer, config -> refuse(config, CoercionInputShape.Float,
					CoercionInputShape.String, CoercionInputShape.EmptyString, CoercionInputShape.Boolean))
			.withCoercionConfig(LogicalType.Float, config -> refuse(config, CoercionInputShape.String,
					CoercionInputShape.EmptyString, CoercionInputShape.Boolean));
	}

	private static void refuse(MutableCoercionConfig config, CoercionInputShape... shapes) {
		for (CoercionInputShape shape : shapes) {
			config.setCoercion(shape, CoercionAction.Fail);
		}
	}

}
