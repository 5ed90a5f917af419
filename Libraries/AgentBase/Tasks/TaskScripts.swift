/// The Lua scripts that change task state. Each runs atomically inside Redis, so a state change, its
/// event, its dead letter and its XACK happen together or not at all, in one round trip for a whole batch.
///
/// Common arguments: `KEYS[1]` the events stream; `ARGV[1]` now (ISO-8601), `ARGV[2]` task TTL in ms,
/// `ARGV[3]` approximate MAXLEN of the events stream, `ARGV[4]` the key prefix with its colon (`sb:`).
/// A task is passed as a named item (`ScriptItem`): a count n, then n name/value pairs — `task`, `entry`, `type`,
/// `agent`, `source`, `conversation`, `reply_to`, `idem` (the full idempotency key), and for `finish` `status`,
/// `payload`, `result`, `text`, `error`, `code`, `stream`, `group`, `dlq`; absent values are left out.
/// The status transitions and event types come from `TaskStatus`, so Swift and Lua share one table.
enum TaskScripts {
    /// `TaskStatus.canTransition` and `eventType` as Lua tables (`''` is a task with no hash yet).
    static let statusTables: String = {
        let all = TaskStatus.allCases
        let rows = ([nil] + all.map(Optional.some)).map { from -> String in
            let targets = all.filter { TaskStatus.canTransition(from: from, to: $0) }.map { "\($0.rawValue) = true" }
            return "['\(from?.rawValue ?? "")'] = {\(targets.joined(separator: ", "))}"
        }
        let events = all.map { "\($0.rawValue) = '\($0.eventType)'" }
        let terminal = all.filter(\.isTerminal).map { "\($0.rawValue) = true" }
        return """
        local transitions = {\(rows.joined(separator: ", "))}
        local eventtypes = {\(events.joined(separator: ", "))}
        local terminalstates = {\(terminal.joined(separator: ", "))}
        """
    }()

    private static let prelude = """
    local now, ttl, maxlen, prefix = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
    local events = KEYS[1]
    \(statusTables)
    local function can(from, to) local row = transitions[from or ''] return row ~= nil and row[to] == true end
    local function terminal(s) return s ~= nil and terminalstates[s] == true end
    -- The event of task item m: to the events stream, and a copy to its reply_to when that is a stream under
    -- <prefix>reply: (a failing copy — a key of another type — never aborts the script: one message's reply_to must
    -- not undo or block the other tasks of a batch).
    local function emit(etype, m, payload, text)
      local f = {'type', etype, 'task', m.task, 'agent', m.agent or '', 'payload', payload}
      if m.type and m.type ~= '' then f[#f + 1] = 'request_type'; f[#f + 1] = m.type end
      if m.source then f[#f + 1] = 'source'; f[#f + 1] = m.source end
      if m.conversation then f[#f + 1] = 'conversation'; f[#f + 1] = m.conversation end
      if text then f[#f + 1] = 'text'; f[#f + 1] = text end
      redis.call('XADD', events, 'MAXLEN', '~', maxlen, '*', unpack(f))
      local r = m.reply_to
      if r and string.sub(r, 1, #prefix + 6) == prefix .. 'reply:' then
        redis.pcall('XADD', r, 'MAXLEN', '~', maxlen, '*', unpack(f))
      end
    end
    -- The named item starting at ARGV[i]; returns it and the index after it.
    local function item(i)
      local m, n = {}, tonumber(ARGV[i])
      for j = i + 1, i + 2 * n, 2 do m[ARGV[j]] = ARGV[j + 1] end
      return m, i + 1 + 2 * n
    end
    -- The task hash fields every state change writes: f plus what the item says about the task.
    local function describe(f, m, new)
      f[#f + 1] = 'type'; f[#f + 1] = m.type; f[#f + 1] = 'agent'; f[#f + 1] = m.agent
      f[#f + 1] = 'updated_at'; f[#f + 1] = now
      if new then
        f[#f + 1] = 'created_at'; f[#f + 1] = now
        -- The index of tasks by creation time (<prefix>tasks), for listing and paging; runners trim it to the task TTL
        -- with their periodic trim (TaskStore.trimTaskIndex), not here on every new task.
        local t = redis.call('TIME')
        redis.call('ZADD', prefix .. 'tasks', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), m.task)
      end
      if m.source then f[#f + 1] = 'source'; f[#f + 1] = m.source end
      if m.conversation then f[#f + 1] = 'conversation'; f[#f + 1] = m.conversation end
      if m.reply_to then f[#f + 1] = 'reply_to'; f[#f + 1] = m.reply_to end
      return f
    end
    -- The item a task hash describes (for scripts that get only a task id).
    local function stored(task, key)
      local cur = redis.call('HMGET', key, 'status', 'agent', 'source', 'conversation', 'reply_to', 'type', 'stream', 'attempts')
      return {task = task, agent = cur[2], source = cur[3], conversation = cur[4], reply_to = cur[5], type = cur[6]}, cur
    end

    """

    /// Publishes a request and records it QUEUED with a `task.queued` event, unless the task id exists.
    /// `KEYS[2]` inbox; `ARGV[5…]` the task item, then the entry's field/value pairs.
    /// Returns `{'queued', entryID}` or `{'exists', status}`.
    static let submit = prelude + """
    local m, rest = item(5)
    local key = prefix .. 'task:' .. m.task
    local existing = redis.call('HGET', key, 'status')
    if existing then return {'exists', existing} end
    local fields = {}
    for i = rest, #ARGV do fields[#fields + 1] = ARGV[i] end
    local id = redis.call('XADD', KEYS[2], '*', unpack(fields))
    local f = describe({'status', 'QUEUED', 'stream', KEYS[2], 'entry', id, 'attempts', 0}, m, true)
    if m.idem then f[#f + 1] = 'idempotency_key'; f[#f + 1] = m.idem end
    redis.call('HSET', key, unpack(f))
    redis.call('PEXPIRE', key, ttl)
    emit(eventtypes.QUEUED, m, '{}')
    return {'queued', id}
    """

    /// Starts a batch of delivered tasks. `ARGV[5]` stream, `ARGV[6]` group, `ARGV[7]` max attempts,
    /// `ARGV[8]` instance, `ARGV[9…]` task items.
    /// Returns per task `{verdict, detail, extra}`: `run` attempts · `done` status · `cancelled` ·
    /// `duplicate` owner · `defer` owner · `exhausted` attempts last-error · `badreply` the type of the `reply_to` key
    /// (nothing changed: the runner dead-letters it).
    static let begin = prelude + """
    local stream, group, maxattempts, instance = ARGV[5], ARGV[6], tonumber(ARGV[7]), ARGV[8]
    local instancejson = cjson.encode(instance)
    local function start(m)
      if m.reply_to then
        local kind = redis.call('TYPE', m.reply_to)['ok']
        if kind ~= 'none' and kind ~= 'stream' then return {'badreply', kind, ''} end
      end
      local key = prefix .. 'task:' .. m.task
      if m.idem then
        local owner = redis.call('GET', m.idem)
        if owner and owner ~= m.task then
          local o = redis.call('HMGET', prefix .. 'task:' .. owner, 'status', 'result', 'text')
          if o[1] == 'COMPLETED' then
            local new = redis.call('EXISTS', key) == 0
            local f = describe({'status', 'COMPLETED', 'duplicate_of', owner, 'finished_at', now, 'result', o[2] or '{}'}, m, new)
            if o[3] then f[#f + 1] = 'text'; f[#f + 1] = o[3] end
            redis.call('HSET', key, unpack(f))
            redis.call('PEXPIRE', key, ttl)
            emit(eventtypes.COMPLETED, m, o[2] or '{}', o[3] or nil)
            redis.call('XACK', stream, group, m.entry)
            return {'duplicate', owner, ''}
          elseif o[1] and not terminal(o[1]) then
            return {'defer', owner, ''}
          end
        end
        redis.call('SET', m.idem, m.task, 'PX', ttl)
      end
      local cur = redis.call('HMGET', key, 'status', 'cancel_requested', 'error', 'attempts')
      if not can(cur[1], 'RUNNING') then
        redis.call('XACK', stream, group, m.entry)
        return {'done', cur[1], ''}
      end
      if cur[2] == '1' then
        redis.call('HSET', key, unpack(describe({'status', 'CANCELLED', 'finished_at', now}, m, not cur[1])))
        redis.call('PEXPIRE', key, ttl)
        emit(eventtypes.CANCELLED, m, '{"reason":"cancelled before it started"}')
        redis.call('XACK', stream, group, m.entry)
        return {'cancelled', '', ''}
      end
      local attempts = tonumber(cur[4] or '0') + 1
      if attempts > maxattempts then
        redis.call('HSET', key, 'attempts', attempts)
        return {'exhausted', tostring(attempts), cur[3] or ''}
      end
      redis.call('HSET', key, unpack(describe({'status', 'RUNNING', 'attempts', attempts, 'stream', stream, 'entry', m.entry, 'instance', instance, 'started_at', now}, m, not cur[1])))
      if not cur[1] then redis.call('PEXPIRE', key, ttl) end
      emit(eventtypes.RUNNING, m, '{"attempt":' .. attempts .. ',"instance":' .. instancejson .. '}')
      return {'run', tostring(attempts), ''}
    end
    local out = {}
    local i = 9
    while i <= #ARGV do
      local m
      m, i = item(i)
      out[#out + 1] = start(m)
    end
    return out
    """

    /// Ends a batch of tasks: per task the dead letter (if any), then state + event; then one XACK per stream.
    /// `ARGV[5]` approximate MAXLEN of dead-letter streams, `ARGV[6…]` per task: its item, then a count k and k
    /// dead-letter field/value pairs. Returns 1/0 per task (state written or not).
    static let finish = prelude + """
    local dlqmax = ARGV[5]
    local acks = {}
    local function finish(m, dlqfields)
      local key = prefix .. 'task:' .. m.task
      if m.dlq then redis.call('XADD', m.dlq, 'MAXLEN', '~', dlqmax, '*', unpack(dlqfields)) end
      local cur = redis.call('HGET', key, 'status')
      local allowed = can(cur or nil, m.status)
      if allowed then
        local f = describe({'status', m.status, 'finished_at', now}, m, not cur)
        if m.result then f[#f + 1] = 'result'; f[#f + 1] = m.result end
        if m.text then f[#f + 1] = 'text'; f[#f + 1] = m.text end
        if m.error then f[#f + 1] = 'error'; f[#f + 1] = m.error; f[#f + 1] = 'error_code'; f[#f + 1] = m.code or '' end
        if m.dlq then f[#f + 1] = 'dead_lettered'; f[#f + 1] = m.dlq end
        redis.call('HSET', key, unpack(f))
        if not cur then redis.call('PEXPIRE', key, ttl) end
        emit(eventtypes[m.status], m, m.payload, m.text)
      end
      if m.entry then
        local group = m.stream .. '\\0' .. m.group
        if not acks[group] then acks[group] = {m.stream, m.group} end
        local ids = acks[group]
        ids[#ids + 1] = m.entry
      end
      if allowed then return 1 end
      return 0
    end
    local out = {}
    local i = 6
    while i <= #ARGV do
      local m
      m, i = item(i)
      local k = tonumber(ARGV[i])
      local dlqfields = {}
      for j = 1, 2 * k do dlqfields[j] = ARGV[i + j] end
      i = i + 1 + 2 * k
      out[#out + 1] = finish(m, dlqfields)
    end
    for _, ids in pairs(acks) do redis.call('XACK', unpack(ids)) end
    return out
    """

    /// Progress of a running task, or a retry (`ARGV[8]` = `retry` counts an attempt and records the error).
    /// `ARGV[5]` task, `ARGV[6]` event payload JSON, `ARGV[7]` message, `ARGV[8]` mode, `ARGV[9]` error.
    /// Returns the attempt count, or -1 when the task is not running.
    static let progress = prelude + """
    local key = prefix .. 'task:' .. ARGV[5]
    local m, cur = stored(ARGV[5], key)
    if cur[1] ~= 'RUNNING' then return -1 end
    local attempts = tonumber(cur[8] or '0')
    if ARGV[8] == 'retry' then
      attempts = redis.call('HINCRBY', key, 'attempts', 1)
      redis.call('HSET', key, 'error', ARGV[9])
    end
    redis.call('HSET', key, 'progress', ARGV[7], 'updated_at', now)
    emit('task.progress', m, ARGV[6])
    return attempts
    """

    /// Asks for a task to be cancelled. `ARGV[5]` task. A task that has not started ends CANCELLED at
    /// once; a running one gets the flag and a `task.cancel` message on its agent's stream.
    /// Returns `{'unknown'}`, `{'final', status}`, `{'cancelled'}` or `{'requested'}`.
    static let cancel = prelude + """
    local task = ARGV[5]
    local key = prefix .. 'task:' .. task
    local m, cur = stored(task, key)
    if not cur[1] then return {'unknown'} end
    if terminal(cur[1]) then return {'final', cur[1]} end
    redis.call('HSET', key, 'cancel_requested', '1', 'updated_at', now)
    if cur[1] == 'QUEUED' then
      redis.call('HSET', key, 'status', 'CANCELLED', 'finished_at', now)
      emit(eventtypes.CANCELLED, m, '{"reason":"cancelled before it started"}')
      return {'cancelled'}
    end
    if cur[7] then redis.call('XADD', cur[7], '*', 'type', 'task.cancel', 'payload', cjson.encode({task = task}), 'task', 'cancel-' .. task) end
    return {'requested'}
    """
}
