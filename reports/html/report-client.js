// LikeStorm HTML report, browser side: draws the charts that reports/chart-data.ts described (the
// JSON in #likestorm-charts) with uPlot, inlined above this script. Shared time axis in seconds,
// synced cursor and zoom (drag to zoom, double-click to reset), fault windows shaded and labelled,
// purges as vertical markers, check examples marked on every chart when clicked. No network, no
// storage, no timers beyond the copy button's feedback.
;(function () {
  'use strict'
  var HEIGHT_PX = 230
  var model = JSON.parse(document.getElementById('likestorm-charts').textContent)
  var charts = []
  var syncingScale = false
  var example = null // { atS, label }

  function el(tag, className, text) {
    var node = document.createElement(tag)
    if (className) node.className = className
    if (text !== undefined) node.textContent = text
    return node
  }

  function formatValue(v) {
    if (v === null || v === undefined || !isFinite(v)) return '–'
    var a = Math.abs(v)
    if (a >= 1000) return Math.round(v).toLocaleString('en-US')
    if (a >= 100) return v.toFixed(0)
    if (a >= 10) return v.toFixed(1)
    if (a === 0) return '0'
    return v.toFixed(a >= 1 ? 2 : 3)
  }

  function formatAxis(v) {
    if (v === null || v === undefined) return ''
    var a = Math.abs(v)
    if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M'
    if (a >= 1e4) return (v / 1e3).toFixed(0) + 'k'
    if (a >= 1000) return (v / 1e3).toFixed(1) + 'k'
    return String(Math.round(v * 1000) / 1000)
  }

  function formatTime(s) {
    return (Math.round(s * 10) / 10) + 's'
  }

  /** Put a label just right of x, or left of it when it would run past the plot's right edge. */
  function placeLabel(label, x, container) {
    container.appendChild(label)
    var width = label.offsetWidth
    var room = container.clientWidth
    label.style.left = (x + 4 + width <= room ? x + 4 : Math.max(0, x - 4 - width)) + 'px'
  }

  /** Fault windows, purge markers and the clicked example, as DOM under the plot (crisp labels, testable). */
  function drawOverlays(u) {
    // Shading goes under the plot (series and grid stay visible through it), labels over it (never crossed by a line).
    var layer = u.under.querySelector('.ls-layer')
    var labels = u.over.querySelector('.ls-layer')
    if (!layer) {
      layer = el('div', 'ls-layer')
      u.under.appendChild(layer)
      labels = el('div', 'ls-layer')
      u.over.appendChild(labels)
    }
    layer.textContent = ''
    labels.textContent = ''
    var xMin = u.scales.x.min
    var xMax = u.scales.x.max
    if (!isFinite(xMin) || !isFinite(xMax)) return
    var pos = function (s) { return u.valToPos(Math.min(Math.max(s, xMin), xMax), 'x') }
    model.windows.forEach(function (w, i) {
      if (w.endS < xMin || w.startS > xMax) return
      var left = pos(w.startS)
      var width = Math.max(2, pos(w.endS) - left)
      var band = el('div', 'fault-band fault-' + w.kind + (w.skipped ? ' skipped' : ''))
      band.style.left = left + 'px'
      band.style.width = width + 'px'
      band.title = w.label
      layer.appendChild(band)
      var label = el('span', 'fault-label', w.label)
      label.style.top = (2 + 15 * (i % 3)) + 'px'
      placeLabel(label, left, labels)
    })
    model.markers.forEach(function (m, i) {
      if (m.atS < xMin || m.atS > xMax) return
      var marker = el('div', 'purge-marker')
      marker.style.left = pos(m.atS) + 'px'
      marker.title = m.label
      layer.appendChild(marker)
      var label = el('span', 'marker-label purge-label', m.label)
      label.style.bottom = (2 + 15 * (i % 2)) + 'px'
      placeLabel(label, pos(m.atS), labels)
    })
    if (example && example.atS >= xMin && example.atS <= xMax) {
      var mark = el('div', 'example-marker')
      mark.style.left = pos(example.atS) + 'px'
      labels.appendChild(mark)
      placeLabel(el('span', 'marker-label example-label', example.label), pos(example.atS), labels)
    }
  }

  function syncScale(u) {
    if (syncingScale) return
    syncingScale = true
    var min = u.scales.x.min
    var max = u.scales.x.max
    charts.forEach(function (other) {
      if (other !== u && (other.scales.x.min !== min || other.scales.x.max !== max)) other.setScale('x', { min: min, max: max })
    })
    syncingScale = false
  }

  function fromZero(u, min, max) {
    return [Math.min(0, min), max > 0 ? max * 1.08 : 1]
  }

  function buildChart(spec) {
    var card = document.querySelector('[data-chart="' + spec.id + '"]')
    var target = card && card.querySelector('.chart-plot')
    if (!target) return
    var hasRight = spec.series.some(function (s) { return s.right })
    var series = [{ label: 'time', value: function (u, v) { return v === null ? '–' : formatTime(v) } }]
    spec.series.forEach(function (s) {
      var options = {
        label: s.label,
        stroke: s.color,
        width: s.bars ? 0 : (s.widthPx || 1.5),
        scale: s.right ? 'y2' : 'y',
        spanGaps: false,
        points: { show: false },
        value: function (u, v) { return formatValue(v) },
      }
      if (s.dash) options.dash = s.dash
      if (s.bars) {
        options.fill = s.color
        options.paths = uPlot.paths.bars({ size: [0.9, 12] })
      }
      series.push(options)
    })
    var axisStroke = '#5b6472'
    var grid = { stroke: '#edf0f4', width: 1 }
    var ticks = { stroke: '#d5dae1', width: 1, size: 4 }
    var axes = [
      { stroke: axisStroke, grid: grid, ticks: ticks, values: function (u, splits) { return splits.map(formatTime) } },
      { scale: 'y', label: spec.unit, labelSize: 18, stroke: axisStroke, grid: grid, ticks: ticks, size: 52, values: function (u, splits) { return splits.map(formatAxis) } },
    ]
    // Every chart reserves the right-hand axis, so the time axes of all charts line up.
    if (hasRight) axes.push({ scale: 'y2', side: 1, label: spec.y2Unit || '', labelSize: 18, stroke: axisStroke, grid: { show: false }, ticks: ticks, size: 52, values: function (u, splits) { return splits.map(formatAxis) } })
    else axes.push({ scale: 'y', side: 1, label: '', labelSize: 18, stroke: 'transparent', grid: { show: false }, ticks: { show: false }, size: 52, values: function (u, splits) { return splits.map(function () { return '' }) } })
    var scales = { x: { time: false }, y: spec.log ? { distr: 3, log: 10 } : { range: fromZero } }
    if (hasRight) scales.y2 = { range: fromZero }
    var options = {
      width: Math.max(300, target.clientWidth),
      height: HEIGHT_PX,
      series: series,
      axes: axes,
      scales: scales,
      legend: { live: true },
      cursor: { sync: { key: 'likestorm' }, drag: { x: true, y: false }, points: { size: 6 } },
      hooks: {
        ready: [drawOverlays],
        setSize: [drawOverlays],
        setScale: [function (u, key) { if (key === 'x') { drawOverlays(u); syncScale(u) } }],
      },
    }
    if (spec.band) options.bands = [{ series: [spec.band.upper + 1, spec.band.lower + 1], fill: spec.band.color }]
    var data = [model.xS].concat(spec.series.map(function (s) { return s.values }))
    var u = new uPlot(options, data, target)
    u.likestormTarget = target
    charts.push(u)
  }

  function resizeAll() {
    charts.forEach(function (u) {
      var width = Math.max(300, u.likestormTarget.clientWidth)
      if (width !== u.width) u.setSize({ width: width, height: HEIGHT_PX })
    })
  }

  /** A check example clicked: mark its time on every chart and bring the charts (or its video's chart) into view. */
  function showExample(button) {
    var atS = Number(button.getAttribute('data-at-s'))
    if (!isFinite(atS)) return
    example = { atS: atS, label: button.getAttribute('data-label') || formatTime(atS) }
    charts.forEach(drawOverlays)
    var video = button.getAttribute('data-video')
    var card = video ? document.querySelector('[data-video-chart="' + CSS.escape(video) + '"]') : null
    var target = card || document.getElementById('charts')
    document.querySelectorAll('.chart-card.flash').forEach(function (c) { c.classList.remove('flash') })
    if (card) card.classList.add('flash')
    target.scrollIntoView({ behavior: 'smooth', block: 'start' })
  }

  function copyReplay(button) {
    var code = document.getElementById('replay-command')
    var text = code.textContent
    var done = function (ok) {
      button.textContent = ok ? 'Copied' : 'Select and copy'
      setTimeout(function () { button.textContent = 'Copy' }, 1500)
    }
    var fallback = function () {
      try {
        var range = document.createRange()
        range.selectNodeContents(code)
        var selection = window.getSelection()
        selection.removeAllRanges()
        selection.addRange(range)
        done(document.execCommand('copy'))
      } catch (e) {
        done(false)
      }
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(function () { done(true) }, fallback)
    else fallback()
  }

  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target.closest('[data-action]') : null
    if (!target) return
    var action = target.getAttribute('data-action')
    if (action === 'show-example') {
      event.preventDefault()
      showExample(target)
    } else if (action === 'copy-replay') {
      copyReplay(target)
    } else if (action === 'reset-zoom') {
      if (charts[0]) charts[0].setScale('x', { min: model.xS[0], max: model.xS[model.xS.length - 1] })
    }
  })

  if (typeof uPlot !== 'function') {
    document.getElementById('charts').appendChild(el('p', 'warning', 'Charts unavailable: the charting library did not load.'))
    return
  }
  model.charts.forEach(buildChart)
  var resizeTimer = null
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer)
    resizeTimer = setTimeout(resizeAll, 100)
  })
  document.documentElement.setAttribute('data-charts-ready', String(charts.length))
})()
