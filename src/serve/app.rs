//! The routes of `metodist serve` (axum): the live-reload script and stream, `/api/search`,
//! and everything else through [`Shared::resolve`]. Every request first passes
//! [`http::guard`].

use std::convert::Infallible;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use futures_util::StreamExt;
use tower_http::services::ServeFile;

use super::http::{self, Cached, ConnectionSlot, Target};
use super::{Answer, JsonAnswer, Shared, LIVE_JS};

/// The application: routes and the request checks.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__metodist/live.js", get(live_js))
        .route("/__metodist/events", get(events))
        .route("/api/search", get(api_search))
        .fallback(site)
        .layer(axum::middleware::from_fn(http::guard))
        .with_state(shared)
}

async fn live_js(headers: HeaderMap) -> Response {
    static LIVE: OnceLock<Cached> = OnceLock::new();
    let body = LIVE.get_or_init(|| Cached::new(LIVE_JS.as_bytes().to_vec()));
    http::cached_response(
        &headers,
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        body,
    )
}

/// The live-reload stream of an open page: `hello` with the generation served (and the
/// current build errors), then `reload` and `build-error` as they happen. It holds no thread
/// and leaves the count of connections (see [`http::Limits`]).
async fn events(
    State(shared): State<Arc<Shared>>,
    slot: Option<Extension<ConnectionSlot>>,
) -> Response {
    let Ok(permit) = shared.streams.clone().try_acquire_owned() else {
        let mut r = http::refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "503: открыто слишком много страниц предпросмотра; закройте лишние вкладки\n",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return r;
    };
    if let Some(Extension(slot)) = slot {
        slot.release();
    }
    let rx = shared.events.subscribe();
    let generation = *shared.generation.read().unwrap_or_else(|e| e.into_inner());
    let error = shared
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let mut first = vec![Event::default()
        .retry(Duration::from_secs(1))
        .event("hello")
        .data(format!("{{\"generation\":{generation}}}"))];
    if let Some(e) = error {
        first.push(Event::default().event("build-error").data(e));
    }
    let live = futures_util::stream::unfold((rx, permit), |(mut rx, permit)| async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match rx.recv().await {
                Ok(ev) => {
                    let event = Event::default().event(&ev.0).data(&ev.1);
                    return Some((event, (rx, permit)));
                }
                // Missed events: the newest state follows anyway.
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    let stream = futures_util::stream::iter(first)
        .chain(live)
        .map(Ok::<_, Infallible>);
    let mut r = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // The connection left the count of connections: it serves no other request.
    h.insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

async fn api_search(
    State(shared): State<Arc<Shared>>,
    Extension(target): Extension<Target>,
) -> Response {
    let answer = match shared.search_request(&target) {
        Ok(reply) => reply.await.unwrap_or_else(|_| JsonAnswer {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: r#"{"error":"внутренняя ошибка поиска"}"#.to_string(),
        }),
        Err(answer) => answer,
    };
    let mut r = Response::new(Body::from(answer.body));
    *r.status_mut() = answer.status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Pages, theme files, attachments, the search export: [`Shared::resolve`] on a blocking
/// thread (it may render a page), then the answer as a response.
async fn site(
    State(shared): State<Arc<Shared>>,
    Extension(target): Extension<Target>,
    req: Request,
) -> Response {
    let Target { path, query } = target;
    let answer = tokio::task::spawn_blocking(move || shared.resolve(&path, &query)).await;
    let Ok(answer) = answer else {
        // A panic while rendering (a bug; the panic hook has printed it).
        return http::text_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "500: внутренняя ошибка сервера; сообщите разработчикам\n",
        );
    };
    match answer {
        Answer::Memory {
            status,
            content_type,
            body,
        } => http::cached_response(req.headers(), status, &content_type, &body),
        Answer::Text(status, text) => http::text_response(status, text),
        Answer::Redirect(location) => {
            let mut r = Response::new(Body::from(format!("Перемещено: {location}\n")));
            *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            if let Ok(v) = HeaderValue::from_str(&location) {
                h.insert(header::LOCATION, v);
            }
            r
        }
        Answer::File { path, content_type } => {
            let mime = content_type
                .parse()
                .unwrap_or(mime_guess::mime::APPLICATION_OCTET_STREAM);
            match ServeFile::new_with_mime(&path, &mime).try_call(req).await {
                Ok(r) => {
                    let mut r = r.map(Body::new);
                    r.headers_mut()
                        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                    r
                }
                Err(_) => {
                    http::text_response(StatusCode::NOT_FOUND, "404: файл не удалось прочитать\n")
                }
            }
        }
    }
}
