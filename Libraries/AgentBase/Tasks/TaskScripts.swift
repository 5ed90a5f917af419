/// The Lua scripts that change task state. Each runs atomically inside Redis, so a state change, its
/// event, its dead letter and its XACK happen together or not at all, in one round trip for a whole batch.
///
/// Common arguments: `KEYS[1]` the events stream; `ARGV[1]` now (ISO-8601), `ARGV[2]` task TTL in ms,
/// `ARGV[3]` approximate MAXLEN of the events stream, `ARGV[4]` the key prefix with its colon (`sb:`).
enum TaskScripts {
    private static let prelude = """
    local now, ttl, maxlen, prefix = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
    local events = KEYS[1]
    local function terminal(s) return s == 'COMPLETED' or s == 'FAILED' or s == 'CANCELLED' end
    local function eventfor(s)
      if s == 'COMPLETED' then return 'task.completed' elseif s == 'FAILED' then return 'task.failed' end
      return 'task.cancelled'
    end
    local function emit(etype, task, agent, payload, source, conversation, replyto, request)
      local f = {'type', etype, 'task', task, 'agent', agent or '', 'payload', payload}
      if request and request ~= '' then f[#f + 1] = 'request_type'; f[#f + 1] = request end
      if source and source ~= '' then f[#f + 1] = 'source'; f[#f + 1] = source end
      if conversation and conversation ~= '' then f[#f + 1] = 'conversation'; f[#f + 1] = conversation end
      redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', unpack(f))
      -- Only a stream under <prefix>reply: gets a copy, and a failing copy (a key of another type) never aborts the
      -- script: one message's reply_to must not undo or block the other tasks of a batch.
      if replyto and replyto ~= '' and string.sub(replyto, 1, #prefix + 6) == prefix .. 'reply:' then
        redis.pcall('XADD', replyto, 'MAXLEN', '~', maxlen, '*', unpack(f))
      end
    end
    local function opt(v)
      if v == nil or v == '' then return nil end
      return v
    end
    -- The 8 fields every task item starts with: task, entry, type, agent, source, conversation, reply_to, idempotency key.
    local function item(i)
      return {t = ARGV[i], e = opt(ARGV[i + 1]), ty = ARGV[i + 2], a = ARGV[i + 3], s = opt(ARGV[i + 4]), c = opt(ARGV[i + 5]), r = opt(ARGV[i + 6]), i = opt(ARGV[i + 7])}
    end
    local function describe(f, m, new)
      f[#f + 1] = 'type'; f[#f + 1] = m.ty; f[#f + 1] = 'agent'; f[#f + 1] = m.a
      f[#f + 1] = 'updated_at'; f[#f + 1] = now
      if new then f[#f + 1] = 'created_at'; f[#f + 1] = now end
      if m.s then f[#f + 1] = 'source'; f[#f + 1] = m.s end
      if m.c then f[#f + 1] = 'conversation'; f[#f + 1] = m.c end
      if m.r then f[#f + 1] = 'reply_to'; f[#f + 1] = m.r end
      return f
    end

    """

    /// Publishes a request and records it QUEUED with a `task.queued` event, unless the task id exists.
    /// `KEYS[2]` inbox; `ARGV[5]` task id, `ARGV[6…13]` the task item, `ARGV[14…]` entry fields.
    /// Returns `{'queued', entryID}` or `{'exists', status}`.
    static let submit = prelude + """
    local task = ARGV[5]
    local m = item(6)
    local key = prefix .. 'task:' .. task
    local existing = redis.call('HGET', key, 'status')
    if existing then return {'exists', existing} end
    local fields = {}
    for i = 14, #ARGV do fields[#fields + 1] = ARGV[i] end
    local id = redis.call('XADD', KEYS[2], '*', unpack(fields))
    local f = describe({'status', 'QUEUED', 'stream', KEYS[2], 'entry', id, 'attempts', 0}, m, true)
    if m.i then f[#f + 1] = 'idempotency_key'; f[#f + 1] = m.i end
    redis.call('HSET', key, unpack(f))
    redis.call('PEXPIRE', key, ttl)
    emit('task.queued', task, m.a, '{}', m.s, m.c, m.r, m.ty)
    return {'queued', id}
    """

    /// Starts a batch of delivered tasks. `ARGV[5]` stream, `ARGV[6]` group, `ARGV[7]` max attempts,
    /// `ARGV[8]` instance, `ARGV[9…]` task items of 8 fields (`i` = the full idempotency key).
    /// Returns per task `{verdict, detail, extra}`: `run` attempts · `done` status · `cancelled` ·
    /// `duplicate` owner · `defer` owner · `exhausted` attempts last-error · `badreply` the type of the `reply_to` key
    /// (nothing changed: the runner dead-letters it).
    static let begin = prelude + """
    local stream, group, maxattempts, instance = ARGV[5], ARGV[6], tonumber(ARGV[7]), ARGV[8]
    local function start(m)
      if m.r then
        local kind = redis.call('TYPE', m.r)['ok']
        if kind ~= 'none' and kind ~= 'stream' then return {'badreply', kind, ''} end
      end
      local key = prefix .. 'task:' .. m.t
      if m.i then
        local owner = redis.call('GET', m.i)
        if owner and owner ~= m.t then
          local o = redis.call('HMGET', prefix .. 'task:' .. owner, 'status', 'result')
          if o[1] == 'COMPLETED' then
            local new = redis.call('EXISTS', key) == 0
            redis.call('HSET', key, unpack(describe({'status', 'COMPLETED', 'duplicate_of', owner, 'finished_at', now, 'result', o[2] or '{}'}, m, new)))
            redis.call('PEXPIRE', key, ttl)
            emit('task.completed', m.t, m.a, o[2] or '{}', m.s, m.c, m.r, m.ty)
            redis.call('XACK', stream, group, m.e)
            return {'duplicate', owner, ''}
          elseif o[1] == 'QUEUED' or o[1] == 'RUNNING' then
            return {'defer', owner, ''}
          end
        end
        redis.call('SET', m.i, m.t, 'PX', ttl)
      end
      local cur = redis.call('HMGET', key, 'status', 'cancel_requested', 'error', 'attempts')
      if terminal(cur[1]) then
        redis.call('XACK', stream, group, m.e)
        return {'done', cur[1], ''}
      end
      if cur[2] == '1' then
        redis.call('HSET', key, unpack(describe({'status', 'CANCELLED', 'finished_at', now}, m, not cur[1])))
        redis.call('PEXPIRE', key, ttl)
        emit('task.cancelled', m.t, m.a, '{"reason":"cancelled before it started"}', m.s, m.c, m.r, m.ty)
        redis.call('XACK', stream, group, m.e)
        return {'cancelled', '', ''}
      end
      local attempts = tonumber(cur[4] or '0') + 1
      if attempts > maxattempts then
        redis.call('HSET', key, 'attempts', attempts)
        return {'exhausted', tostring(attempts), cur[3] or ''}
      end
      redis.call('HSET', key, unpack(describe({'status', 'RUNNING', 'attempts', attempts, 'stream', stream, 'entry', m.e, 'instance', instance, 'started_at', now}, m, not cur[1])))
      if not cur[1] then redis.call('PEXPIRE', key, ttl) end
      emit('task.started', m.t, m.a, cjson.encode({attempt = attempts, instance = instance}), m.s, m.c, m.r, m.ty)
      return {'run', tostring(attempts), ''}
    end
    local out = {}
    for i = 9, #ARGV, 8 do out[#out + 1] = start(item(i)) end
    return out
    """

    /// Ends a batch of tasks: per task the dead letter (if any), then state + event; then one XACK per stream.
    /// `ARGV[5]` approximate MAXLEN of dead-letter streams, `ARGV[6…]` per task: the 8-field item, then
    /// status, event type, event payload, result, error, code, stream, group, DLQ stream, n, and n DLQ fields.
    /// Returns 1/0 per task (state written or not).
    static let finish = prelude + """
    local dlqmax = ARGV[5]
    local acks = {}
    local function finish(m)
      local key = prefix .. 'task:' .. m.t
      if m.dlq then redis.call('XADD', m.dlq, 'MAXLEN', '~', dlqmax, '*', unpack(m.df)) end
      local cur = redis.call('HGET', key, 'status')
      local allowed
      if m.status == 'COMPLETED' then allowed = (cur == 'RUNNING') else allowed = not terminal(cur) end
      if allowed then
        local f = describe({'status', m.status, 'finished_at', now}, m, not cur)
        if m.res then f[#f + 1] = 'result'; f[#f + 1] = m.res end
        if m.err then f[#f + 1] = 'error'; f[#f + 1] = m.err; f[#f + 1] = 'error_code'; f[#f + 1] = m.code or '' end
        if m.dlq then f[#f + 1] = 'dead_lettered'; f[#f + 1] = m.dlq end
        redis.call('HSET', key, unpack(f))
        if not cur then redis.call('PEXPIRE', key, ttl) end
        emit(m.et, m.t, m.a, m.p, m.s, m.c, m.r, m.ty)
      end
      if m.e then
        local group = m.st .. '\\0' .. m.g
        if not acks[group] then acks[group] = {m.st, m.g} end
        local ids = acks[group]
        ids[#ids + 1] = m.e
      end
      if allowed then return 1 end
      return 0
    end
    local out = {}
    local i = 6
    while i <= #ARGV do
      local m = item(i)
      m.status, m.et, m.p = ARGV[i + 8], ARGV[i + 9], ARGV[i + 10]
      m.res, m.err, m.code = opt(ARGV[i + 11]), opt(ARGV[i + 12]), opt(ARGV[i + 13])
      m.st, m.g, m.dlq = ARGV[i + 14], ARGV[i + 15], opt(ARGV[i + 16])
      local n = tonumber(ARGV[i + 17])
      m.df = {}
      for j = 1, n do m.df[j] = ARGV[i + 17 + j] end
      out[#out + 1] = finish(m)
      i = i + 18 + n
    end
    for _, ids in pairs(acks) do redis.call('XACK', unpack(ids)) end
    return out
    """

    /// Progress of a running task, or a retry (`ARGV[8]` = `retry` counts an attempt and records the error).
    /// `ARGV[5]` task, `ARGV[6]` event payload JSON, `ARGV[7]` message, `ARGV[8]` mode, `ARGV[9]` error.
    /// Returns the attempt count, or -1 when the task is not running.
    static let progress = prelude + """
    local key = prefix .. 'task:' .. ARGV[5]
    local cur = redis.call('HMGET', key, 'status', 'agent', 'source', 'conversation', 'reply_to', 'attempts', 'type')
    if cur[1] ~= 'RUNNING' then return -1 end
    local attempts = tonumber(cur[6] or '0')
    if ARGV[8] == 'retry' then
      attempts = redis.call('HINCRBY', key, 'attempts', 1)
      redis.call('HSET', key, 'error', ARGV[9])
    end
    redis.call('HSET', key, 'progress', ARGV[7], 'updated_at', now)
    emit('task.progress', ARGV[5], cur[2], ARGV[6], cur[3], cur[4], cur[5], cur[7])
    return attempts
    """

    /// Asks for a task to be cancelled. `ARGV[5]` task. A task that has not started ends CANCELLED at
    /// once; a running one gets the flag and a `task.cancel` message on its agent's stream.
    /// Returns `{'unknown'}`, `{'final', status}`, `{'cancelled'}` or `{'requested'}`.
    static let cancel = prelude + """
    local task = ARGV[5]
    local key = prefix .. 'task:' .. task
    local cur = redis.call('HMGET', key, 'status', 'stream', 'agent', 'source', 'conversation', 'reply_to', 'type')
    if not cur[1] then return {'unknown'} end
    if terminal(cur[1]) then return {'final', cur[1]} end
    redis.call('HSET', key, 'cancel_requested', '1', 'updated_at', now)
    if cur[1] == 'QUEUED' then
      redis.call('HSET', key, 'status', 'CANCELLED', 'finished_at', now)
      emit('task.cancelled', task, cur[3], '{"reason":"cancelled before it started"}', cur[4], cur[5], cur[6], cur[7])
      return {'cancelled'}
    end
    if cur[2] then redis.call('XADD', cur[2], '*', 'type', 'task.cancel', 'payload', cjson.encode({task = task}), 'task', 'cancel-' .. task) end
    return {'requested'}
    """
}
