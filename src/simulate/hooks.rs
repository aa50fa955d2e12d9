//! A container's `postStart` hook as the kubelet runs it (`startContainer` in
//! pkg/kubelet/kuberuntime/kuberuntime_container.go, step 4): right after the
//! `Started` event, synchronously — the kubelet starts no other container of the
//! Pod and the Pod is not Running until the hook returns. A hook that fails gets a
//! `FailedPostStartHook` Warning event (`PostStartHook failed`: the handler's
//! message is left out so that secrets do not leak) and the container is killed
//! (`killContainer` with the message `FailedPostStartHook`), then restarted as a
//! crashed container would be.
//!
//! What is knowable offline: an exec of an obvious `sleep` runs that long (`sleep
//! infinity` never returns), the `sleep` action its seconds; an exec script ending
//! in `exit N` fails; an `httpGet` on a port name the container does not define
//! fails (`resolvePort` in pkg/kubelet/lifecycle/handlers.go: `couldn't find
//! port`). Any other hook is taken to succeed at once.

use crate::yaml::Node;

use super::template::{Sleep, exit_of, sleep_of};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostStart {
    /// Returns successfully after this many milliseconds.
    Returns(u64),
    /// Never returns (the container is never Running).
    Hangs,
    /// Fails after this many milliseconds: the container is killed.
    Fails(u64),
}

/// The `postStart` hook of a container with `ports` (name, containerPort, protocol).
pub fn post_start(container: &Node, ports: &[(String, i64, String)]) -> Option<PostStart> {
    let hook = container.at(&["lifecycle", "postStart"])?;
    if let Some(port) = hook.at(&["httpGet", "port"]).and_then(Node::as_str) {
        // `resolvePort`: a number written as a string, else a port of that name.
        let known = port.parse::<i64>().is_ok() || ports.iter().any(|(name, _, _)| name == port);
        return Some(if known { PostStart::Returns(0) } else { PostStart::Fails(0) });
    }
    let argv: Vec<String> = hook
        .at(&["exec", "command"])
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    let ran = match sleep_of(&argv) {
        Some(Sleep::For(ms)) => ms,
        _ => 0,
    };
    if exit_of(&argv).is_some() {
        return Some(PostStart::Fails(ran));
    }
    Some(match sleep_of(&argv) {
        Some(Sleep::For(ms)) => PostStart::Returns(ms),
        Some(Sleep::Forever) => PostStart::Hangs,
        None => PostStart::Returns(
            hook.at(&["sleep", "seconds"])
                .and_then(Node::as_i64)
                .map_or(0, |s| u64::try_from(s).unwrap_or(0).saturating_mul(1000)),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(yaml: &str, ports: &[&str]) -> Option<PostStart> {
        let stream = crate::yaml::load(yaml, &crate::limits::Limits::default());
        let node = &stream.documents.first().expect("a document").root;
        let ports: Vec<_> = ports.iter().map(|n| (n.to_string(), 80, "TCP".to_string())).collect();
        post_start(node, &ports)
    }

    #[test]
    fn hooks_knowable_offline() {
        assert_eq!(hook("name: a", &[]), None);
        assert_eq!(
            hook("lifecycle: {postStart: {exec: {command: [sleep, '5']}}}", &[]),
            Some(PostStart::Returns(5000))
        );
        assert_eq!(hook("lifecycle: {postStart: {exec: {command: [sleep, infinity]}}}", &[]), Some(PostStart::Hangs));
        assert_eq!(
            hook("lifecycle: {postStart: {exec: {command: [sh, -c, 'sleep 1; exit 2']}}}", &[]),
            Some(PostStart::Fails(1000))
        );
        assert_eq!(hook("lifecycle: {postStart: {exec: {command: [/bin/warm]}}}", &[]), Some(PostStart::Returns(0)));
        assert_eq!(hook("lifecycle: {postStart: {sleep: {seconds: 3}}}", &[]), Some(PostStart::Returns(3000)));
        assert_eq!(hook("lifecycle: {postStart: {httpGet: {port: admin}}}", &["http"]), Some(PostStart::Fails(0)));
        assert_eq!(hook("lifecycle: {postStart: {httpGet: {port: http}}}", &["http"]), Some(PostStart::Returns(0)));
        assert_eq!(hook("lifecycle: {postStart: {httpGet: {port: 8080}}}", &[]), Some(PostStart::Returns(0)));
    }
}
