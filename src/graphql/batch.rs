//! Request-scoped batching: every key a request's resolvers ask of a loader while its
//! execution can still make progress without the database is answered by one call of the
//! loader — one statement per distinct filter — and only this request's keys are in it.
//!
//! Why not async-graphql's `DataLoader`: it batches what arrives within a time window (its
//! delay) and is shared by all requests. The window split a level of 500 rows into several
//! statements on a loaded machine, and the sharing put one request's keys into another's
//! statement, so a key the database refused (a NUL byte on PostgreSQL) failed every request
//! of the batch (236 of 360 good requests in the attack of issue 9).
//!
//! How a level is known to be complete, without a clock: [`Batching`] wraps the execution of
//! each request and polls it with a waker that notes being woken. When a poll returns
//! `Pending` and nothing woke it meanwhile, every future that can move without the database
//! has moved: every resolver of the level has queued its key. Only then are the queued keys
//! sent, each loader's as one batch, driven inside the request's own task.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use async_graphql::dataloader::Loader;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest};
use async_graphql::{Response, ServerResult};
use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::sync::oneshot;

/// Polls of one wake-up before the task yields to others (a request that keeps waking
/// itself must not hold a worker thread).
const POLL_BUDGET: usize = 64;

/// The answer a waiting resolver gets.
type Answer<V, E> = Result<Option<V>, E>;
/// The keys asked and, per key, the resolvers waiting for it.
type Waiting<K, V, E> = HashMap<K, Vec<oneshot::Sender<Answer<V, E>>>>;
/// A queue, typed (to find it) and untyped (to flush it).
type Entry = (TypeId, Arc<dyn Any + Send + Sync>, Arc<dyn Flush>);

/// The keys one loader has been asked for and not yet sent, with their waiters.
struct Queue<T: Loader<K>, K: Send + Sync + Hash + Eq + Clone + 'static> {
    loader: Arc<T>,
    waiting: Mutex<Waiting<K, T::Value, T::Error>>,
}

/// A queue seen without its types, so that one request can flush all of them.
trait Flush: Send + Sync {
    /// The call of the loader for every queued key, if any is queued.
    fn take(&self) -> Option<BoxFuture<'static, ()>>;
}

impl<T: Loader<K>, K: Send + Sync + Hash + Eq + Clone + 'static> Flush for Queue<T, K> {
    fn take(&self) -> Option<BoxFuture<'static, ()>> {
        let waiting = std::mem::take(&mut *self.waiting.lock().unwrap_or_else(|e| e.into_inner()));
        if waiting.is_empty() {
            return None;
        }
        let loader = self.loader.clone();
        Some(Box::pin(async move {
            let keys: Vec<K> = waiting.keys().cloned().collect();
            match loader.load(&keys).await {
                Ok(mut found) => {
                    for (key, senders) in waiting {
                        let value = found.remove(&key);
                        for s in senders {
                            // A waiter that went away (its field was cancelled) needs no answer.
                            let _ = s.send(Ok(value.clone()));
                        }
                    }
                }
                Err(e) => {
                    for s in waiting.into_values().flatten() {
                        let _ = s.send(Err(e.clone()));
                    }
                }
            }
        }))
    }
}

/// The loaders' queues of one request.
#[derive(Default)]
pub struct Batcher {
    queues: Mutex<Vec<Entry>>,
}

impl Batcher {
    /// Queues `key` for `loader` and waits for the level's batch to answer it.
    pub async fn load_one<T, K>(&self, loader: &Arc<T>, key: K) -> Answer<T::Value, T::Error>
    where
        T: Loader<K>,
        K: Send + Sync + Hash + Eq + Clone + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.queue(loader)
            .waiting
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_default()
            .push(tx);
        // The sender is dropped unanswered only when the request itself is dropped.
        rx.await.unwrap_or(Ok(None))
    }

    /// The queue of `T` for `K`, made on first use.
    fn queue<T, K>(&self, loader: &Arc<T>) -> Arc<Queue<T, K>>
    where
        T: Loader<K>,
        K: Send + Sync + Hash + Eq + Clone + 'static,
    {
        let id = TypeId::of::<Queue<T, K>>();
        let mut queues = self.queues.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, any, _)) = queues.iter().find(|(t, _, _)| *t == id)
            && let Ok(q) = any.clone().downcast::<Queue<T, K>>()
        {
            return q;
        }
        let q = Arc::new(Queue {
            loader: loader.clone(),
            waiting: Mutex::new(HashMap::new()),
        });
        queues.push((id, q.clone(), q.clone()));
        q
    }

    /// The calls of every loader with queued keys.
    fn take_all(&self) -> Vec<BoxFuture<'static, ()>> {
        let queues: Vec<Arc<dyn Flush>> = self
            .queues
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(_, _, f)| f.clone())
            .collect();
        queues.iter().filter_map(|q| q.take()).collect()
    }
}

/// Notes that the inner future was woken during a poll, and passes the wake on.
struct Noted {
    woken: AtomicBool,
    task: Waker,
}

impl Wake for Noted {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.task.wake_by_ref();
    }
}

/// A request's execution and the batches it has sent.
struct Drive<F> {
    inner: Pin<Box<F>>,
    batcher: Arc<Batcher>,
    running: FuturesUnordered<BoxFuture<'static, ()>>,
}

impl<F: Future> Future for Drive<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        for _ in 0..POLL_BUDGET {
            let noted = Arc::new(Noted {
                woken: AtomicBool::new(false),
                task: cx.waker().clone(),
            });
            let waker = Waker::from(noted.clone());
            let mut inner_cx = Context::from_waker(&waker);
            if let Poll::Ready(out) = this.inner.as_mut().poll(&mut inner_cx) {
                return Poll::Ready(out);
            }
            // Finished batches answer their waiters, which wakes the execution.
            while let Poll::Ready(Some(())) = this.running.poll_next_unpin(&mut inner_cx) {}
            if noted.woken.load(Ordering::SeqCst) {
                continue;
            }
            // Quiet: all that waits now waits for the database or for a batch.
            let batches = this.batcher.take_all();
            if batches.is_empty() {
                return Poll::Pending;
            }
            this.running.extend(batches);
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// The extension that gives each request its [`Batcher`] and drives its batches.
pub struct Batching;

impl ExtensionFactory for Batching {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(BatchingExtension(Arc::new(Batcher::default())))
    }
}

struct BatchingExtension(Arc<Batcher>);

#[async_trait::async_trait]
impl Extension for BatchingExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: async_graphql::Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<async_graphql::Request> {
        next.run(ctx, request.data(self.0.clone())).await
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        Drive {
            inner: Box::pin(next.run(ctx, operation_name)),
            batcher: self.0.clone(),
            running: FuturesUnordered::new(),
        }
        .await
    }
}
