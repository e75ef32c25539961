// TCP decisions (security/landlock/net.c:current_check_access_socket, ABI 4). The executor
// binds / connects a TCP socket to 127.0.0.1:port (AF_INET) or [::1]:port (AF_INET6): the two
// families are decided alike (the port is taken from either sockaddr). Only layers handling the
// right take part; each must have a rule for exactly that port granting it, else EACCES. Port 0
// is an ordinary port (binding port 0 needs a rule for port 0). A connect that Landlock allows
// and no one listens to fails with ECONNREFUSED, which counts as allowed. A UDP socket is not
// Landlock's (current_check_access_socket returns at once unless sk_is_tcp): allowed whatever
// the domain.
import { ERRNO } from '../errno.js';
import { LANDLOCK_PORT_MAX } from '../limits.js';
import type { NetRequest } from '../request.js';
import type { LandlockLayer } from './domain.js';
import { NET } from './access.js';
import type { NodeView } from './view.js';

/** A TCP port the model can name: an integer in 0..65535. */
export function isValidPort(port: unknown): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= LANDLOCK_PORT_MAX;
}

/** The net right a request needs, or 0 if the request is not meaningful. */
export function netRight(req: NetRequest): number {
  if (!isValidPort(req.port) || (req.family !== undefined && req.family !== 4 && req.family !== 6)) return 0;
  return req.op === 'bind' ? NET.BIND_TCP : req.op === 'connect' ? NET.CONNECT_TCP : 0;
}

/** A meaningful request on a socket Landlock does not mediate (UDP): allowed by every domain. */
export function netUnmediated(req: NetRequest): boolean {
  return req.proto === 'udp';
}

/** The domain's decision (precomputed per node: one map lookup). */
export function netDecision(view: NodeView, port: number, right: number): number {
  const allowed = view.netPorts.get(port) ?? view.netDefault;
  return (allowed & right) !== 0 ? 0 : ERRNO.EACCES;
}

/** One layer's verdict. */
export function netLayerCode(layer: LandlockLayer, port: number, right: number): number {
  if ((layer.handledNet & right) === 0) return 0;
  return ((layer.netRules.get(port) ?? 0) & right) !== 0 ? 0 : ERRNO.EACCES;
}
