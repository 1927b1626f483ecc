# One image, two programs: the operator (default) and the demo app (args: demo).
# Copies the jar built on the host (mvn package); hack/image.sh passes its own Debian-built base.
ARG BASE_IMAGE=eclipse-temurin:17.0.13_11-jre
FROM ${BASE_IMAGE}
COPY target/leaderdemo.jar /app/leaderdemo.jar
# numeric, so that runAsNonRoot can verify it
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/app/leaderdemo.jar"]
CMD ["operator"]
