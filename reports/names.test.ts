import { describe, it, expect } from 'vitest';
import { flagNames, seccompFlags, restrictFlags, fsMask, netMask, scopeMask, syscallName, requestWords, outcomeWords } from './names.js';
import { resultWords } from './result-words.js';
import { AUDIT_ARCH_I386, syscall } from '../model/request.js';
import { SECCOMP_FILTER_FLAG } from '../model/ops.js';

describe('names', () => {
  it('names flag bits, keeps unknown bits as hex', () => {
    expect(seccompFlags(0)).toBe('0');
    expect(seccompFlags(SECCOMP_FILTER_FLAG.TSYNC | SECCOMP_FILTER_FLAG.TSYNC_ESRCH)).toBe('TSYNC|TSYNC_ESRCH');
    expect(restrictFlags(8 | 64)).toBe('TSYNC|0x40');
    expect(flagNames(0x80000001, { A: 1 })).toBe('A|0x80000000');
  });

  it('names Landlock masks', () => {
    expect(fsMask(0)).toBe('—');
    expect(fsMask(4 | 2)).toBe('write_file|read_file');
    expect(fsMask((1 << 17) | 1)).toBe('execute|0x20000');
    expect(netMask(3)).toBe('bind_tcp|connect_tcp');
    expect(scopeMask(2)).toBe('signal');
  });

  it('names syscalls by arch', () => {
    expect(syscallName(39)).toBe('getpid(39)');
    expect(syscallName(20, AUDIT_ARCH_I386)).toBe('i386 getpid(20)');
    expect(syscallName(9999)).toBe('syscall 9999');
    expect(syscallName(1, 0x1234)).toBe('syscall 1 (arch 0x1234)');
  });

  it('puts requests and outcomes in words, errnos by name', () => {
    expect(requestWords(syscall(39, [1, 2]))).toBe('getpid(39) args [1, 2, 0, 0, 0, 0]');
    expect(requestWords({ kind: 'rename', from: '/a/f', to: '/b' })).toBe('rename /a/f into /b');
    expect(requestWords({ kind: 'signal', target: 1 }, () => 101)).toBe('signal t101');
    expect(requestWords({ kind: 'abstract_unix', target: 4 })).toBe('connect to abstract unix socket of task #4');
    expect(outcomeWords({ kind: 'errno', errno: 13, by: 'landlock' })).toBe('EACCES (landlock)');
    expect(outcomeWords({ kind: 'errno', errno: 0, by: 'seccomp' })).toBe('skipped, returns 0 (seccomp)');
    expect(outcomeWords({ kind: 'errno', errno: 999, by: 'seccomp' })).toBe('E999 (seccomp)');
    expect(outcomeWords({ kind: 'allow', logged: true })).toBe('allow(log)');
  });

  it('puts results in words for the op that made them', () => {
    expect(resultWords({ op: 'fork', task: 0 }, { kind: 'ok', ret: 102 })).toBe('ok, child t102');
    expect(resultWords({ op: 'restrict_self', task: 0, ruleset: 0, flags: 0, export: true }, { kind: 'ok', ret: 5 })).toBe('ok, layer handle fd 5');
    expect(resultWords({ op: 'exit', task: 0 }, { kind: 'err', errno: 3 })).toBe('ESRCH');
    expect(resultWords({ op: 'set_nnp', task: 0 }, { kind: 'killed', scope: 'thread', signal: 'SIGSYS' })).toBe('killed (thread, SIGSYS) before the call ran');
  });
});
