#!/bin/sh
# docker-compose.yaml's `demo-driver` service: every DEMO_UPDATE_SECONDS gives the demo rollouts a new image, then
# promotes the pauses that wait for a promotion (blue-green preview, `pause: {}`) after DEMO_PROMOTE_SECONDS, and
# every third round aborts `catalog` instead, so the dashboards show all three annotation colours.
set -eu
sed 's#https://127.0.0.1:6443#https://k3s:6443#' /output/kubeconfig.yaml > /tmp/kubeconfig
export KUBECONFIG=/tmp/kubeconfig
NS=demo
ROLLOUTS="checkout catalog payments"
COLOURS="green yellow orange purple red blue"
UPDATE=${DEMO_UPDATE_SECONDS:-180}
PROMOTE=${DEMO_PROMOTE_SECONDS:-30}

field() { kubectl -n "$NS" get rollout "$1" -o jsonpath="$2"; }

# Prints "yes" when rollout $1 is paused at a point that waits for a promotion.
waits_for_promotion() {
  reasons=$(field "$1" '{.status.pauseConditions[*].reason}')
  case $reasons in
    *BlueGreenPause*) echo yes; return ;;
    *CanaryPauseStep*)
      step=$(field "$1" '{.status.currentStepIndex}')
      [ -z "$(field "$1" "{.spec.strategy.canary.steps[$step].pause.duration}")" ] && echo yes ;;
  esac
}

round=0
while true; do
  sleep "$UPDATE"
  round=$((round + 1))
  colour=$(echo "$COLOURS" | cut -d' ' -f$(((round - 1) % 6 + 1)))
  echo "demo-driver: round $round, image argoproj/rollouts-demo:$colour"
  for r in $ROLLOUTS; do
    kubectl -n "$NS" patch rollout "$r" --type json \
      -p "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"argoproj/rollouts-demo:$colour\"}]"
  done
  deadline=$(($(date +%s) + 600))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    busy=0
    for r in $ROLLOUTS; do
      phase=$(field "$r" '{.status.phase}')
      [ "$phase" = Progressing ] && busy=1
      [ "$phase" = Paused ] || continue
      busy=1
      if [ "$r" = catalog ] && [ $((round % 3)) -eq 0 ]; then
        kubectl -n "$NS" patch rollout "$r" --subresource status --type merge -p '{"status":{"abort":true}}'
      elif [ "$(waits_for_promotion "$r")" = yes ]; then
        sleep "$PROMOTE"
        kubectl -n "$NS" patch rollout "$r" --subresource status --type merge -p '{"status":{"pauseConditions":null}}'
      fi
    done
    [ "$busy" = 0 ] && break
    sleep 5
  done
done
