import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * The ceiling of any HTTP endpoint on this machine: embedded Tomcat (the version in Gatehouse's jar, with its
 * defaults: NIO connector, 200 worker threads) and one servlet that reads the request body, as a form endpoint must,
 * and answers a small JSON body. No framework, no security filter, no database.
 *
 *   java -cp <tomcat-embed-core jar> TomcatHello.java [port]      (127.0.0.1 only; stop it with a TERM)
 */
public final class TomcatHello {

	public static void main(String[] args) throws Exception {
		int port = args.length > 0 ? Integer.parseInt(args[0]) : 18199;
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(Files.createTempDirectory("tomcat-hello").toString());
		tomcat.setHostname("127.0.0.1");
		tomcat.setPort(port);
		tomcat.getServer().setPort(-1); // no shutdown port: stopped by a signal, like the server under test
		tomcat.getConnector().setProperty("address", "127.0.0.1");
		Context context = tomcat.addContext("", null);
		Tomcat.addServlet(context, "hello", new Hello());
		context.addServletMappingDecoded("/*", "hello");
		tomcat.start();
		System.out.println("tomcat " + org.apache.catalina.util.ServerInfo.getServerNumber() + " hello on 127.0.0.1:" + port);
		tomcat.getServer().await();
	}

	static final class Hello extends HttpServlet {

		private static final byte[] BODY = "{\"hello\":\"world\"}".getBytes(StandardCharsets.US_ASCII);

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
			try (InputStream in = request.getInputStream()) {
				in.transferTo(java.io.OutputStream.nullOutputStream());
			}
			response.setContentType("application/json");
			response.setContentLength(BODY.length);
			response.getOutputStream().write(BODY);
		}
	}

	private TomcatHello() {
	}
}
