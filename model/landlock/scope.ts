// IPC scoping (security/landlock/task.c, ABI 6). How the executor performs the requests:
//
//   signal T          tgkill(T's tgid, T's tid, 0) — for a group leader the same as kill(pid, 0)
//                     — so T's own credentials decide (hook_task_kill). Threads of one process
//                     may always signal each other (erratum 2, same_thread_group).
//   abstract_unix T   T creates a listening abstract UNIX stream socket ("\0name") with its
//                     current credentials; the caller connects to it (hook_unix_stream_connect:
//                     the server's domain is the one of the socket's creator). No thread
//                     exemption. Self → allowed (same domain). With type dgram, T binds an
//                     abstract datagram socket and the caller sends it one datagram
//                     (hook_unix_may_send, the same rule: the receiving socket's creator).
//
// task.c:domain_is_scoped: the request is denied (EPERM) iff some layer of the client's domain
// that sets the scope bit is not an ancestor-or-self of the target's domain (compared by
// hierarchy identity, i.e. layer id). A target with no domain is outside every scope; layers
// that do not set the bit do not matter; a client with no domain is never scoped.
import { ERRNO } from '../errno.js';
import type { DomainNode } from './domain.js';
import { SCOPE } from './access.js';
import type { Evaluation } from '../evaluation.js';

type ScopeRelation = Evaluation['landlockScope'];

/** Under the 'depth' relation: the newest scoped client layer is deeper than the server's domain. */
function isScopedByDepth(client: DomainNode, server: DomainNode | null, scope: number): boolean {
  for (let c: DomainNode | null = client; c !== null; c = c.prev) {
    if ((c.layer.scoped & scope) !== 0) return c.depth > (server?.depth ?? 0);
  }
  return false;
}

/** task.c:domain_is_scoped, walking both chains level by level as the kernel does. */
export function isScoped(client: DomainNode | null, server: DomainNode | null, scope: number, relation: ScopeRelation = 'ancestor'): boolean {
  if (client === null) return false;
  if (relation === 'depth') return isScopedByDepth(client, server, scope);
  let c: DomainNode | null = client;
  let s: DomainNode | null = server;
  let cl = client.depth - 1;
  let sl = server ? server.depth - 1 : -1;
  // Client layers deeper than the server's domain: none may be scoped.
  for (; cl > sl; cl--) {
    if ((c!.layer.scoped & scope) !== 0) return true;
    c = c!.prev;
  }
  for (; sl > cl; sl--) s = s!.prev;
  // Same level: the newest scoped client layer must be the server's ancestor at that level.
  for (; cl >= 0; cl--) {
    if ((c!.layer.scoped & scope) !== 0) return s!.id !== c!.id;
    c = c!.prev;
    s = s!.prev;
  }
  return false;
}

/** hook_task_kill: signal from a task to a task. */
export function signalDecision(client: DomainNode | null, clientTgid: number, target: DomainNode | null, targetTgid: number, relation: ScopeRelation): number {
  if (clientTgid === targetTgid) return 0;
  return isScoped(client, target, SCOPE.SIGNAL, relation) ? ERRNO.EPERM : 0;
}

/** hook_unix_stream_connect / hook_unix_may_send on an abstract socket. */
export function abstractUnixDecision(client: DomainNode | null, server: DomainNode | null, relation: ScopeRelation): number {
  return isScoped(client, server, SCOPE.ABSTRACT_UNIX_SOCKET, relation) ? ERRNO.EPERM : 0;
}
