import Hummingbird
import Logging
import Prometheus

/// The small HTTP listener a service can enable: `/metrics` (Prometheus), `/healthz`, `/readyz`.
public enum ObservabilityServer {
    /// Adds the three routes to a router (the gateway mounts them on its own port).
    public static func addRoutes<Context: RequestContext>(to router: Router<Context>, readiness: Readiness, registry: PrometheusCollectorRegistry = Observability.registry) {
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
        router.get("/healthz") { _, _ -> Response in
            jsonResponse(.ok, #"{"status":"ok"}"#)
        }
        router.get("/readyz") { _, _ -> Response in
            readiness.isReady ? jsonResponse(.ok, #"{"status":"ready"}"#) : jsonResponse(.serviceUnavailable, #"{"status":"starting","error":"not ready: not connected to Redis yet, or shutting down"}"#)
        }
    }

    /// A Hummingbird application (a `Service`) serving only those routes.
    public static func application(host: String, port: Int, readiness: Readiness, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        addRoutes(to: router, readiness: readiness)
        router.get("/**") { _, _ -> Response in jsonResponse(.notFound, #"{"error":"not found: this listener serves /metrics, /healthz and /readyz"}"#) }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "switchboard"), logger: logger)
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
