-- bench row "lua5.4 script": everyday Lua (tables as arrays and maps, string building and
-- patterns, closures, table.sort) over generated records. Prints a checksum of the results.
local records = {}
for i = 1, 12000 do
  records[i] = { id = i, name = "user" .. (i * 7919 % 1000), score = (i * 2654435761) % 1000 / 10 }
end
local counts = {}
for _, r in ipairs(records) do
  counts[r.name] = (counts[r.name] or 0) + 1
end
table.sort(records, function(a, b)
  if a.score ~= b.score then return a.score > b.score end
  return a.id < b.id
end)
local parts = {}
for i = 1, 5000 do parts[#parts + 1] = string.format("%s=%.1f", records[i].name, records[i].score) end
local line = table.concat(parts, ";")
local digits = 0
for d in line:gmatch("%d+") do digits = digits + #d end
local function counter()
  local n = 0
  return function(k) n = n + k; return n end
end
local c = counter()
for name, k in pairs(counts) do c(k * #name) end
print(#line, digits, c(0), records[1].id, records[#records].id)
