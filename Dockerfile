# One image, two programs: the operator (default) and the demo app (args: demo).
# Copies the jar built on the host (mvn package); hack/image.sh passes its own Debian-built base.
ARG BASE_IMAGE=eclipse-temurin:17.0.13_11-jre
FROM ${BASE_IMAGE}
COPY target/leaderdemo.jar /app/leaderdemo.jar
# The demo app's class data archive, which the demo Deployment's JAVA_TOOL_OPTIONS names: a few seconds of the
# demo app with no API server to reach load the classes a demo pod loads, and the JVM writes them out at exit.
RUN export POD_NAME=cds LEASE_NAME=cds HTTP_PORT=0 KUBERNETES_MASTER=https://127.0.0.1:1; \
    java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit=/app/demo.jsa \
      -jar /app/leaderdemo.jar demo >/tmp/cds.log 2>&1 & \
    pid=$!; sleep 6; kill "$pid"; wait "$pid"; \
    test -s /app/demo.jsa || { cat /tmp/cds.log; exit 1; }; rm -f /tmp/cds.log
# numeric, so that runAsNonRoot can verify it
USER 10001:10001
# glibc gives each thread that mallocs an arena of its own, up to 8 per core, and keeps what they
# freed: for the operator's JIT compiler, GC and HTTP threads that was tens of MiB of resident memory
# that no Java heap or NMT figure shows. Two arenas serve both programs.
ENV MALLOC_ARENA_MAX=2
# The operator's JVM (the demo Deployment sets its own). C2 alone: with tiered compilation's C1 copies of every warm
# method the code cache grew to 35 to 44 MiB at 1000 LeaderDemos, with C2 alone to 13 MiB (it starts reconciling
# about 2 s later). The C heap is trimmed every 10 s, which hands back what the compiler freed (the option is
# experimental in some 17 updates, hence the unlock).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC -Xmn16m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-TieredCompilation -XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=10000 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/app/leaderdemo.jar"]
CMD ["operator"]
