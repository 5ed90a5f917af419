import Hummingbird
import HTTPTypes

/// Answers 405 with `Allow` and the JSON error body when a request's path is a route but its method is not.
/// Add it after every route: a router applies middleware only to routes added after it, so this one sits in the
/// not-found chain alone and costs matched requests nothing.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each route path with the methods it serves.
    let routes: [(path: RouterPath, methods: [HTTPRequest.Method])]

    /// The routes of `router` as they are now.
    init(router: Router<Context>) {
        let grouped = Dictionary(grouping: router.routes) { $0.path.description }
        routes = grouped.values.map { descriptions in
            (descriptions[0].path, descriptions.map(\.method).sorted { $0.rawValue < $1.rawValue })
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let allowed = allowedMethods(path: request.uri.path), !allowed.contains(request.method) else {
            return try await next(request, context)
        }
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        var response = try APIError(.methodNotAllowed, "method_not_allowed", "\(request.uri.path) answers \(list), not \(request.method); see /openapi.json")
            .response(from: request, context: context)
        response.headers[.allow] = list
        return response
    }

    /// The methods of the route the router would pick for `path` (the one with the most literal segments), or nil
    /// when no route has that path.
    func allowedMethods(path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = routes.filter { route in
            route.path.components.count == segments.count && zip(route.path.components, segments).allSatisfy { $0 ~= $1 }
        }
        let literals = { (route: (path: RouterPath, methods: [HTTPRequest.Method])) in
            zip(route.path.components, segments).filter { $0 == $1 }.count
        }
        return matching.max { literals($0) < literals($1) }?.methods
    }
}
