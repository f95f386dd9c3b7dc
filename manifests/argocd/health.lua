-- Argo CD health check for streamloop.dev/StreamingQuery: register it in argocd-cm under
-- resource.customizations.health.streamloop.dev_StreamingQuery (docs/operator.md). It reads the
-- conditions the operator writes and adds no logic of its own; the operator's tests run it (Argo
-- CD's Lua, gopher-lua) over the status of every phase.
local hs = {status = "Progressing", message = "waiting for the operator"}
if obj.status == nil or obj.status.conditions == nil then return hs end
if obj.status.observedGeneration ~= obj.metadata.generation then return hs end
local conditions = {}
for _, c in ipairs(obj.status.conditions) do conditions[c.type] = c end
local function is(type, status)
  return conditions[type] ~= nil and conditions[type].status == status
end
if is("Stalled", "True") then return {status = "Degraded", message = conditions.Stalled.message} end
if is("Degraded", "True") then return {status = "Degraded", message = conditions.Degraded.message} end
if obj.status.phase == "Suspended" then return {status = "Suspended", message = "spec.suspend is true"} end
if is("Ready", "True") then
  -- fresh output is the point of a streaming query: stale output is degraded
  if is("Fresh", "False") and conditions.Fresh.reason == "LagAboveMaxLag" then
    return {status = "Degraded", message = conditions.Fresh.message}
  end
  return {status = "Healthy", message = conditions.Ready.message}
end
if conditions.Ready ~= nil then hs.message = conditions.Ready.message end
return hs
