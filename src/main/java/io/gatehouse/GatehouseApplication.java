package io.gatehouse;

import io.gatehouse.provisioning.ConfigCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GatehouseApplication {

	public static void main(String[] args) {
		if (ConfigCommand.handles(args)) {
			System.exit(ConfigCommand.run(GatehouseApplication.class, args));
		}
		SpringApplication.run(GatehouseApplication.class, args);
	}

}
